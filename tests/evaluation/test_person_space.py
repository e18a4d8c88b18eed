import datetime

from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Consent, ConsentPurpose
from entrepairs.core.models import AccessEvent
from entrepairs.evaluation.models import Invitation, LinkedResponse, PersonSpaceLink
from tests.utils import last_access

from .factories import consenting_person, invitation, space_token


def test_peer_prints_a_space_link_and_old_links_stop(world):
    person = consenting_person(world)
    client = world.client("peer_a")
    url = reverse("evaluation:person_space_link", args=[person.pk])
    assert client.get(url).status_code == 200
    assert last_access("accompaniment.person").action == "view"
    first = client.post(url, follow=True).content.decode()
    assert "mon-espace/" in first and 'role="img"' in first
    assert (
        AccessEvent.objects.about("accompaniment.person", person.pk).filter(action="create").count()
        == 1
    )
    client.post(url)  # a second tap (or a reload of the POST) issues nothing new
    assert PersonSpaceLink.objects.filter(person=person).count() == 1


def test_space_shows_consents_waiting_questionnaires_and_accesses(world, client):
    person = consenting_person(world)
    world.client("coordinator_a").get(reverse("evaluation:person_space_link", args=[person.pk]))
    inv, _token = invitation(world, linked=True, person=person)
    token = space_token(world, person=person)
    page = client.get(reverse("evaluation:space", args=[token])).content.decode()
    assert person.alias in page
    assert (
        "participation à l&#x27;évaluation" in page.lower()
        or "participation à l'évaluation" in page.lower()
    )
    assert reverse("evaluation:space_answer", args=[token, inv.pk]) in page
    assert "coordinateur·rice" in page.lower()  # a role, not a name
    assert world.user("coordinator_a").last_name not in page
    event = last_access("accompaniment.person")
    assert event.by_person and event.role == "person" and event.user is None
    assert (
        "vous-même"
        in client.get(reverse("evaluation:space", args=[token])).content.decode().lower()
    )


def test_person_withdraws_evaluation_consent_from_the_space(world, client):
    person = consenting_person(world)
    inv, _t = invitation(world, linked=True, person=person)
    token = space_token(world, person=person)
    url = reverse("evaluation:space_withdraw", args=[token, ConsentPurpose.EVALUATION])
    confirm = client.get(url)  # the tap asks first, and changes nothing
    assert confirm.status_code == 200 and "Oui, je retire mon accord" in confirm.content.decode()
    assert Consent.current_given(ConsentPurpose.EVALUATION).filter(person=person).exists()
    response = client.post(url)
    assert response.status_code == 302
    latest = (
        person.consents.filter(purpose=ConsentPurpose.EVALUATION)
        .order_by("-recorded_at", "-pk")
        .first()
    )
    assert latest.given is False and latest.means == Consent.Means.PERSON_SPACE
    assert not Invitation.objects.filter(pk=inv.pk).exists()
    assert (
        AccessEvent.objects.about("accompaniment.person", person.pk)
        .filter(action="update")
        .exists()
    )
    page = client.get(reverse("evaluation:space", args=[token])).content.decode()
    assert "Accord retiré le" in page


def test_withdrawing_an_unknown_purpose_changes_nothing(world, client):
    person = consenting_person(world)
    token = space_token(world, person=person)
    count = Consent.objects.count()
    response = client.post(reverse("evaluation:space_withdraw", args=[token, "tout"]))
    assert response.status_code == 400
    assert Consent.objects.count() == count


def test_expired_revoked_or_forged_space_link(world, client):
    person = consenting_person(world)
    token = space_token(world, person=person)
    PersonSpaceLink.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))
    expired = client.get(reverse("evaluation:space", args=[token]))
    assert expired.status_code == 410 and "date limite" in expired.content.decode()
    assert client.get(reverse("evaluation:space", args=["invente"])).status_code == 404
    response = client.post(
        reverse("evaluation:space_withdraw", args=[token, ConsentPurpose.EVALUATION])
    )
    assert response.status_code == 410
    assert Consent.current_given(ConsentPurpose.EVALUATION).filter(person=person).exists()


def test_answer_from_the_space(world, client):
    person = consenting_person(world)
    inv, _t = invitation(world, linked=True, person=person)
    token = space_token(world, person=person)
    url = reverse("evaluation:space_answer", args=[token, inv.pk])
    client.post(url, {"q": 1, "understood": "yes"})
    assert LinkedResponse.objects.get().answers == {"understood": "yes"}
    # Another person's invitation cannot be reached with this space link.
    other_inv, _t = invitation(world, linked=True)
    assert (
        client.get(reverse("evaluation:space_answer", args=[token, other_inv.pk])).status_code
        == 404
    )
