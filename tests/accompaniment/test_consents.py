import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Consent, ConsentPurpose, Person
from tests.utils import last_access

from .factories import body, make_encounter, make_person

pytestmark = pytest.mark.django_db


def record(world, person, purpose, given, persona="peer_a", **extra):
    data = {
        "purpose": purpose,
        "given": "1" if given else "0",
        "means": "oral",
        "decided_on": timezone.localdate().isoformat(),
        **extra,
    }
    return world.client(persona).post(
        reverse("accompaniment:consent_record", args=[person.pk]), data
    )


def detail(person):
    return reverse("accompaniment:person_detail", args=[person.pk])


def test_form_shows_consents_in_force(world):
    person = make_person(world)
    response = world.client("peer_a").get(reverse("accompaniment:consent_record", args=[person.pk]))
    assert response.status_code == 200
    assert "Enregistrer la décision" in body(response)
    assert last_access("accompaniment.person").action == "view"


def test_withdrawing_team_sharing_hides_person_and_shared_notes_at_once(world):
    person = make_person(world, team_sharing=True)
    make_encounter(person, note="Note pour l'équipe", visibility="team")
    professional = world.client("professional_a")
    assert "Note pour l'équipe" in body(professional.get(detail(person)))

    response = record(world, person, ConsentPurpose.TEAM_SHARING, False)
    assert response.status_code == 302
    assert last_access("accompaniment.consent").action == "create"

    assert professional.get(detail(person)).status_code == 404
    assert person.alias not in body(professional.get(reverse("accompaniment:person_list")))
    # The coordinator still sees the person, but no longer the shared note.
    page = body(world.client("coordinator_a").get(detail(person)))
    assert person.alias in page
    assert "Note pour l'équipe" not in page
    # The author keeps their own note.
    assert "Note pour l'équipe" in body(world.client("peer_a").get(detail(person)))


def test_giving_team_sharing_back_lets_the_team_in_again(world):
    person = make_person(world, team_sharing=False)
    assert world.client("professional_a").get(detail(person)).status_code == 404
    record(world, person, ConsentPurpose.TEAM_SHARING, True, persona="coordinator_a")
    assert world.client("professional_a").get(detail(person)).status_code == 200


def test_withdrawing_evaluation_removes_person_from_evaluation(world):
    person = make_person(world, evaluation=True)
    assert person.has_consent(ConsentPurpose.EVALUATION)
    assert person in Person.objects.evaluable()
    record(world, person, ConsentPurpose.EVALUATION, False)
    person = Person.objects.get(pk=person.pk)
    assert not person.has_consent(ConsentPurpose.EVALUATION)
    assert person not in Person.objects.evaluable()
    assert person not in Person.objects.with_consent(ConsentPurpose.EVALUATION)


def test_withdrawing_contact_hides_contact_details(world):
    person = make_person(world, contact=True)
    Person.objects.filter(pk=person.pk).update(contact="06 11 22 33 44")
    assert "06 11 22 33 44" in body(world.client("peer_a").get(detail(person)))
    record(world, person, ConsentPurpose.CONTACT, False)
    assert "06 11 22 33 44" not in body(world.client("peer_a").get(detail(person)))
    assert Person.objects.get(pk=person.pk).visible_contact == ""


def test_history_is_kept_and_latest_decision_is_in_force(world):
    person = make_person(world)
    record(world, person, ConsentPurpose.EVALUATION, False)
    record(world, person, ConsentPurpose.EVALUATION, True, means="written")
    rows = Consent.objects.filter(person=person, purpose=ConsentPurpose.EVALUATION)
    assert rows.count() == 3
    assert Person.objects.get(pk=person.pk).has_consent(ConsentPurpose.EVALUATION)
    latest = rows.order_by("-recorded_at", "-pk").first()
    assert latest.means == "written" and latest.recorded_by == world.user("peer_a")
    assert "Historique des accords" in body(world.client("peer_a").get(detail(person)))


def test_future_decision_date_is_refused(world):
    person = make_person(world)
    response = record(world, person, ConsentPurpose.CONTACT, True, decided_on="2999-01-01")
    assert "La date ne peut pas être dans le futur." in body(response)
    assert not Person.objects.get(pk=person.pk).has_consent(ConsentPurpose.CONTACT)


def test_professional_cannot_record_consent(world):
    person = make_person(world)
    assert record(world, person, ConsentPurpose.CONTACT, True, "professional_a").status_code == 403
    assert not Person.objects.get(pk=person.pk).has_consent(ConsentPurpose.CONTACT)


def test_other_organisation_gets_404(world):
    person = make_person(world)
    assert record(world, person, ConsentPurpose.CONTACT, True, "coordinator_b").status_code == 404
