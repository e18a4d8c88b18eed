"""The duplicate-person warning at intake is not an oracle (issue 9, point 4).

Before the fix it looked at every person of the organisation: a peer typing an alias and a year
of birth learnt whether someone they do not accompany exists. Now it looks only at the persons
the user may see (``Person.objects.visible_to``), so the answer is the same whether or not a
hidden person with that alias exists.
"""

import pytest
from django.urls import reverse

from entrepairs.accompaniment.models import Person
from tests.factories import PeerWorkerFactory

from .factories import body, make_person
from .test_persons import intake

pytestmark = pytest.mark.django_db
URL = reverse("accompaniment:person_create")


def hidden_person(world, alias, birth_year):
    """A person of org A accompanied by another peer of org A, never by peer_a."""
    person = make_person(world, alias=alias, birth_year=birth_year)
    accompaniment = person.accompaniments.get()
    accompaniment.peers.set([PeerWorkerFactory(employer=world.org_a)])
    assert not Person.objects.visible_to(world.membership("peer_a")).filter(pk=person.pk)
    return person


def outcome(response, alias):
    """What the peer sees once the redirection is followed, with the alias blanked out."""
    messages = [str(m).replace(alias, "ALIAS") for m in response.context["messages"]]
    statuses = [status for _url, status in response.redirect_chain]
    return statuses, messages, "figure déjà" in body(response)


def test_a_hidden_person_with_the_same_alias_changes_nothing_for_the_peer(world):
    hidden_person(world, "Camille R.", 1990)
    client = world.client("peer_a")
    data = intake(world, alias="Camille R.", birth_year="1990")
    with_hidden = client.post(URL, data, follow=True)
    without = client.post(URL, intake(world, alias="Lou P.", birth_year="1990"), follow=True)
    assert outcome(with_hidden, "Camille R.") == outcome(without, "Lou P.")
    assert outcome(without, "Lou P.") == ([302], ["La fiche de ALIAS est créée."], False)
    assert Person.objects.filter(alias="Camille R.").count() == 2


def test_the_warning_still_comes_for_a_person_the_user_sees(world):
    make_person(world, alias="Camille R.", birth_year=1990)  # accompanied by peer_a
    response = world.client("peer_a").post(URL, intake(world))
    assert response.status_code == 200
    assert "figure déjà dans votre liste de personnes" in body(response)
    assert Person.objects.filter(alias="Camille R.").count() == 1


def test_a_coordinator_sees_every_person_of_the_organisation_hence_the_warning(world):
    hidden_person(world, "Camille R.", 1990)
    data = intake(world, peers=[world.peer("peer_a").pk])
    response = world.client("coordinator_a").post(URL, data)
    assert response.status_code == 200 and "figure déjà" in body(response)
