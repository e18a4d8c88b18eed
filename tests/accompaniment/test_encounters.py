import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Encounter, Person
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
