import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Accompaniment
from tests.utils import last_access

from .factories import body, make_person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def data(world, **overrides):
    values = {
        "setting": "community",
        "facility": world.facility_a.pk,
        "peers": [world.peer("peer_a").pk],
        "start": (TODAY() - datetime.timedelta(days=10)).isoformat(),
        "end": "",
        "end_reason": "",
    }
    values.update(overrides)
    return values


def test_open_a_new_episode(world):
    person = make_person(world)
    url = reverse("accompaniment:accompaniment_create", args=[person.pk])
    response = world.client("coordinator_a").post(url, data(world))
    assert response.status_code == 302
    assert person.accompaniments.count() == 2
    assert last_access("accompaniment.accompaniment").action == "create"


def test_close_an_episode(world):
    person = make_person(world)
    accompaniment = person.accompaniments.get()
    url = reverse("accompaniment:accompaniment_update", args=[accompaniment.pk])
    response = world.client("peer_a").post(
        url,
        data(
            world,
            start=accompaniment.start.isoformat(),
            end=TODAY().isoformat(),
            end_reason="goals_met",
        ),
    )
    assert response.status_code == 302
    accompaniment.refresh_from_db()
    assert accompaniment.end == TODAY() and accompaniment.end_reason == "goals_met"


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"start": TODAY().isoformat(), "end": "2000-01-01", "end_reason": "moved"},
            "La fin ne peut pas précéder le début de l'accompagnement.",
        ),
        ({"end": TODAY().isoformat()}, "Indiquez le motif de fin."),
        ({"end_reason": "moved"}, "Indiquez la date de fin."),
        ({"peers": []}, "Choisissez au moins un·e pair-aidant·e."),
    ],
)
def test_bad_input_saves_nothing(world, overrides, message):
    person = make_person(world)
    accompaniment = person.accompaniments.get()
    before = (accompaniment.start, accompaniment.end, accompaniment.end_reason)
    url = reverse("accompaniment:accompaniment_update", args=[accompaniment.pk])
    response = world.client("coordinator_a").post(url, data(world, **overrides))
    assert response.status_code == 200
    assert message in body(response)
    accompaniment.refresh_from_db()
    assert (accompaniment.start, accompaniment.end, accompaniment.end_reason) == before
    assert list(accompaniment.peers.all()) == [world.peer("peer_a")]


def test_professional_cannot_change_episode(world):
    accompaniment = make_person(world).accompaniments.get()
    url = reverse("accompaniment:accompaniment_update", args=[accompaniment.pk])
    assert world.client("professional_a").post(url, data(world)).status_code == 403


def test_other_organisation_gets_404(world):
    accompaniment = make_person(world).accompaniments.get()
    url = reverse("accompaniment:accompaniment_update", args=[accompaniment.pk])
    assert world.client("coordinator_b").post(url, data(world)).status_code == 404
    assert Accompaniment.objects.get().setting == "cmp"
