import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Encounter, Person
from tests.factories import PeerWorkerFactory
from tests.utils import last_access

from .factories import body, make_encounter, make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def url(person):
    return reverse("accompaniment:encounter_create", args=[person.pk])


def post_data(person, **overrides):
    data = {
        "accompaniment": person.accompaniments.first().pk,
        "date": TODAY().isoformat(),
        "duration_minutes": "40",
        "mode": "in_person",
        "place": "Café du coin",
        "kinds": ["accueil", "soutien"],
        "outcome": "held",
        "note": "",
        "note_visibility": "private",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_form_defaults_to_today_and_the_peers_last_habits(world):
    person = make_person(world)
    other = make_person(world)
    make_encounter(other, place="Maison des usagers", duration_minutes=75)
    page = body(world.client("peer_a").get(url(person)))
    assert f'value="{TODAY().isoformat()}"' in page
    assert 'value="Maison des usagers"' in page
    assert 'value="75"' in page


def test_peer_records_an_encounter(world):
    person = make_person(world)
    Person.objects.filter(pk=person.pk).update(last_activity_on=TODAY() - datetime.timedelta(30))
    response = world.client("peer_a").post(url(person), post_data(person, note="Va mieux"))
    assert response.status_code == 302
    encounter = Encounter.objects.get()
    assert encounter.peer == world.peer("peer_a")
    assert encounter.kinds == ["accueil", "soutien"]
    assert encounter.note_visibility == "private"
    assert Person.objects.get(pk=person.pk).last_activity_on == TODAY()
    event = last_access("accompaniment.encounter")
    assert event.action == "create" and event.object_ids == [encounter.pk]


def test_shared_note_with_consent(world):
    person = make_person(world, team_sharing=True)
    world.client("peer_a").post(
        url(person), post_data(person, note="Pour l'équipe", note_visibility="team")
    )
    assert Encounter.objects.get().note_visibility == "team"


YESTERDAY_OF_START = (TODAY() - datetime.timedelta(days=61)).isoformat()


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"date": (TODAY() + datetime.timedelta(days=1)).isoformat()},
            "La date ne peut pas être dans le futur.",
        ),
        ({"date": YESTERDAY_OF_START}, "ne peut pas précéder le début de l'accompagnement"),
        ({"duration_minutes": "0"}, "entre 1 minute et 12 heures"),
        ({"duration_minutes": "-30"}, "entre 1 minute et 12 heures"),
        ({"duration_minutes": "721"}, "entre 1 minute et 12 heures"),
        ({"kinds": None}, "Cochez au moins une nature de rencontre."),
        (
            {"note": "Secret", "note_visibility": "team"},
            "n'a pas donné son accord au partage avec l'équipe",
        ),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_saved(world, overrides, message):
    person = make_person(world, team_sharing=False)
    before = Person.objects.get(pk=person.pk).last_activity_on
    response = world.client("peer_a").post(url(person), post_data(person, **overrides))
    assert response.status_code == 200
    assert message in body(response)
    assert 'id="form-errors"' in body(response)
    assert not Encounter.objects.exists()
    assert Person.objects.get(pk=person.pk).last_activity_on == before


def test_accompaniment_of_another_person_is_refused(world):
    person = make_person(world)
    other = make_person(world)
    data = post_data(person, accompaniment=other.accompaniments.first().pk)
    response = world.client("peer_a").post(url(person), data)
    assert response.status_code == 200
    assert not Encounter.objects.exists()


def test_coordinator_cannot_record(world):
    person = make_person(world)
    assert world.client("coordinator_a").post(url(person), post_data(person)).status_code == 403
    assert not Encounter.objects.exists()


def test_peer_not_accompanying_gets_404(world):
    person = make_person(world)
    person.accompaniments.first().peers.clear()
    assert world.client("peer_a").get(url(person)).status_code == 404


def test_peer_of_other_organisation_gets_404(world):
    person = make_person(world)
    assert world.client("peer_b").post(url(person), post_data(person)).status_code == 404
    assert not Encounter.objects.exists()


class TestCorrectAnEncounter:
    """The peer who recorded an encounter may correct or delete it; nobody else."""

    def edit_url(self, encounter):
        return reverse("accompaniment:encounter_update", args=[encounter.pk])

    def delete_url(self, encounter):
        return reverse("accompaniment:encounter_delete", args=[encounter.pk])

    def test_form_is_filled_with_the_encounter(self, world):
        person = make_person(world)
        encounter = make_encounter(person, place="Jardin partagé", duration_minutes=55)
        page = body(world.client("peer_a").get(self.edit_url(encounter)))
        assert 'value="Jardin partagé"' in page and 'value="55"' in page
        assert "Enregistrer les modifications" in page
        assert last_access("accompaniment.person").object_ids == [person.pk]

    def test_peer_corrects_their_encounter(self, world):
        person = make_person(world)
        encounter = make_encounter(person, duration_minutes=45)
        data = post_data(person, duration_minutes="90", outcome="missed")
        response = world.client("peer_a").post(self.edit_url(encounter), data)
        assert response.status_code == 302
        encounter.refresh_from_db()
        assert (encounter.duration_minutes, encounter.outcome) == (90, "missed")
        assert encounter.organisation == world.org_a
        event = last_access("accompaniment.encounter")
        assert event.action == "update" and event.object_ids == [encounter.pk]

    @pytest.mark.parametrize(
        "overrides, message",
        [
            ({"duration_minutes": "800"}, "entre 1 minute et 12 heures"),
            (
                {"date": (TODAY() + datetime.timedelta(days=3)).isoformat()},
                "La date ne peut pas être dans le futur.",
            ),
            ({"date": YESTERDAY_OF_START}, "ne peut pas précéder le début de l'accompagnement"),
            (
                {"note": "Secret", "note_visibility": "team"},
                "n'a pas donné son accord au partage avec l'équipe",
            ),
        ],
    )
    def test_bad_input_changes_nothing(self, world, overrides, message):
        person = make_person(world, team_sharing=False)
        encounter = make_encounter(person, duration_minutes=45)
        response = world.client("peer_a").post(
            self.edit_url(encounter), post_data(person, **overrides)
        )
        assert response.status_code == 200 and message in body(response)
        encounter.refresh_from_db()
        assert encounter.duration_minutes == 45 and encounter.note == ""

    def test_encounter_of_another_peer_answers_404(self, world):
        person = make_person(world)
        colleague = PeerWorkerFactory(employer=world.org_a)
        encounter = make_encounter(person, peer=colleague)
        client = world.client("peer_a")
        assert client.get(self.edit_url(encounter)).status_code == 404
        assert client.post(self.delete_url(encounter)).status_code == 404
        assert Encounter.objects.filter(pk=encounter.pk).exists()

    def test_coordinator_and_other_organisation_are_refused(self, world):
        person = make_person(world)
        encounter = make_encounter(person)
        assert world.client("coordinator_a").get(self.edit_url(encounter)).status_code == 403
        assert world.client("peer_b").post(self.delete_url(encounter)).status_code == 404
        assert Encounter.objects.filter(pk=encounter.pk).exists()

    def test_encounter_of_an_anonymised_person_cannot_be_changed(self, world):
        person = make_person(world)
        encounter = make_encounter(person)
        Person.objects.filter(pk=person.pk).update(anonymised_at=timezone.now())
        assert world.client("peer_a").get(self.edit_url(encounter)).status_code == 404

    def test_delete_asks_for_confirmation_then_deletes(self, world):
        person = make_person(world)
        encounter = make_encounter(person)
        client = world.client("peer_a")
        page = body(client.get(self.delete_url(encounter)))
        assert "La suppression est définitive" in page
        assert Encounter.objects.filter(pk=encounter.pk).exists()
        response = client.post(self.delete_url(encounter))
        assert response.status_code == 302
        assert not Encounter.objects.filter(pk=encounter.pk).exists()
        event = last_access("accompaniment.encounter")
        assert event.action == "delete" and event.object_ids == [encounter.pk]

    def test_only_own_encounters_show_an_edit_link(self, world):
        person = make_person(world)
        mine = make_encounter(person)
        theirs = make_encounter(person, peer=PeerWorkerFactory(employer=world.org_a))
        detail = reverse("accompaniment:person_detail", args=[person.pk])
        page = body(world.client("peer_a").get(detail))
        assert self.edit_url(mine) in page and self.edit_url(theirs) not in page
        assert self.edit_url(mine) not in body(world.client("coordinator_a").get(detail))
