"""Organisation data through a token: counts by mission, sessions, actions, workforce.
Only the token's organisation, never a person, every page audited, constant queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Encounter
from entrepairs.api.models import Scope
from entrepairs.core.models import AccessEvent
from entrepairs.workforce.models import Contract
from tests.accompaniment.factories import make_encounter, make_person
from tests.factories import PeerWorkerFactory
from tests.groups.factories import GroupFactory, GroupSessionFactory, accompanied_person
from tests.institution.factories import ActivityFactory
from tests.utils import assert_constant_queries
from tests.workforce.factories import ContractFactory, TrainingFactory

from .conftest import issue_token, token_client

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MONTH = TODAY.strftime("%Y-%m")


@pytest.fixture
def activity(world):
    """Org A: 3 held encounters (2 « soutien », 1 « accueil »+« orientation »), 1 missed, one
    group session with a named attendee, one action. Org B: the same, with other numbers."""
    for org, minutes in (("a", 45), ("b", 30)):
        person = make_person(world, org, alias=f"Alias secret {org}")
        day = TODAY.replace(day=1)
        make_encounter(person, date=day, duration_minutes=minutes)
        make_encounter(person, date=day, duration_minutes=minutes, note="Note privée secrète")
        make_encounter(
            person,
            date=day,
            duration_minutes=minutes,
            kinds=[Encounter.Kind.WELCOME, "orientation"],
        )
        make_encounter(person, date=day, duration_minutes=minutes, outcome=Encounter.Outcome.MISSED)
        group = GroupFactory(
            organisation=world.org(org), facility=world.facility(org), name=f"Groupe {org}"
        )
        named = accompanied_person(world, f"peer_{org}", alias=f"Nommée {org}")
        GroupSessionFactory(
            group=group, date=day, headcount=7, peers=[world.peer(f"peer_{org}")], named=[named]
        )
        ActivityFactory(organisation=world.org(org), date=day, title=f"Action {org}")
    return world


def test_activity_counts_by_mission_type_facility_and_month(activity):
    token, secret = issue_token(activity, "a", [Scope.ACTIVITY])
    data = token_client(secret).get(reverse("api:activity"), {"debut": MONTH, "mois": 1}).json()
    rows = {(r["mission"], r["type"]): r for r in data["resultats"]}
    facility = {"id": activity.facility_a.pk, "nom": activity.facility_a.name}
    assert rows[("individual", "toutes")] | {"type_libelle": ""} == {
        "mois": MONTH,
        "mission": "individual",
        "type": "toutes",
        "type_libelle": "",
        "dispositif": facility,
        "nombre": 3,  # the missed one is not counted
        "minutes": 135,
        "participants": None,
    }
    assert rows[("individual", "soutien")]["nombre"] == 2
    assert rows[("individual", "accueil")]["nombre"] == 1
    assert rows[("individual", "orientation")]["minutes"] == 45
    assert rows[("groups", "entraide")]["participants"] == 7
    assert rows[("institutional", "sensibilisation")]["nombre"] == 1
    assert data["periode"] == {"debut": MONTH, "fin": MONTH}
    event = AccessEvent.objects.get()
    assert (event.action, event.object_type, event.object_ids) == (
        "list",
        "territory.organisation",
        [activity.org_a.pk],
    )
    assert (event.organisation, event.role, event.user) == (
        activity.org_a,
        f"api_token:{token.pk}",
        None,
    )


def test_nothing_of_a_person_nor_of_another_organisation_leaves(activity):
    _token, secret = issue_token(activity, "a")
    client = token_client(secret)
    for name in (
        "activity",
        "group_sessions",
        "institutional_activities",
        "peers",
        "contracts",
        "trainings",
    ):
        body = client.get(reverse(f"api:{name}")).content.decode()
        for secret_text in (
            "Alias secret",
            "Nommée",
            "Note privée",
            "Groupe b",
            "Action b",
            "CH Bêta",
            "CMP Bêta",
        ):
            assert secret_text not in body, (name, secret_text)


def test_group_sessions_give_headcounts_only(activity):
    _token, secret = issue_token(activity, "a", [Scope.ACTIVITY])
    data = token_client(secret).get(reverse("api:group_sessions")).json()
    assert data["nombre"] == 1
    session = data["resultats"][0]
    assert session["participants"] == 7
    assert session["pairs_presents"] == 1
    assert session["groupe"]["nom"] == "Groupe a"
    assert session["dispositif"] == {"id": activity.facility_a.pk, "nom": activity.facility_a.name}
    assert "attendees" not in session and "theme" not in session


def test_bad_months_are_refused_in_french(activity):
    _token, secret = issue_token(activity, "a", [Scope.ACTIVITY])
    client = token_client(secret)
    cases = (
        ({"debut": "2025-13"}, "debut", "Mois attendu au format AAAA-MM, de 2000 à 2100."),
        ({"debut": "1999-12"}, "debut", "Mois attendu au format AAAA-MM, de 2000 à 2100."),
        ({"mois": "37"}, "mois", "Nombre entier de 1 à 36 attendu."),
        ({"mois": "0"}, "mois", "Nombre entier de 1 à 36 attendu."),
        ({"mois": "un"}, "mois", "Nombre entier de 1 à 36 attendu."),
        ({"taille": "0"}, "taille", "Nombre entier de 1 à 200 attendu."),
        ({"page": "-1"}, "page", "Nombre entier à partir de 1 attendu."),
    )
    for query, field, message in cases:
        response = client.get(reverse("api:activity"), query)
        assert response.status_code == 400, query
        assert response.json() == {
            "erreur": "Paramètres refusés : voir « champs ». Rien n'a été lu.",
            "code": "parametres_invalides",
            "champs": {field: [message]},
        }
    response = client.get(reverse("api:group_sessions"), {"debut": "hier"})
    assert response.status_code == 400
    assert "champs" in response.json()
    assert not AccessEvent.objects.exists()  # nothing read, nothing logged


def test_workforce_dossier_for_hr_systems(world):
    peer = world.peer("peer_a")
    ContractFactory(
        peer=peer,
        kind=Contract.Kind.CDD,
        end=TODAY + datetime.timedelta(days=90),
        gross_monthly_pay="1850.00",
    )
    TrainingFactory(peer=peer)
    ContractFactory(peer=world.peer("peer_b"))
    token, secret = issue_token(world, "a", [Scope.WORKFORCE], persona="director_a")
    client = token_client(secret)
    peers = client.get(reverse("api:peers")).json()
    assert [p["id"] for p in peers["resultats"]] == [peer.pk]
    assert peers["resultats"][0]["affectations"][0]["part_du_temps"] == "0.80"
    contracts = client.get(reverse("api:contracts")).json()["resultats"]
    assert len(contracts) == 1
    assert contracts[0]["precaire"] is True
    assert contracts[0]["remuneration_brute_mensuelle"] == "1850.00"
    trainings = client.get(reverse("api:trainings")).json()["resultats"]
    assert [t["pair"] for t in trainings] == [peer.pk]
    assert "certificate" not in str(trainings)
    exports = AccessEvent.objects.filter(action="export").order_by("pk")
    assert [(e.object_type, e.object_ids) for e in exports] == [
        ("workforce.peerworker", [peer.pk]),
        ("workforce.contract", [contracts[0]["id"]]),
        ("workforce.training", [trainings[0]["id"]]),
    ]


def test_lists_are_paginated(world):
    for _i in range(7):
        PeerWorkerFactory(employer=world.org_a)
    _token, secret = issue_token(world, "a", [Scope.WORKFORCE])
    client = token_client(secret)
    first = client.get(reverse("api:peers"), {"taille": 3}).json()
    assert (first["nombre"], first["pages"], len(first["resultats"])) == (8, 3, 3)
    assert first["suivant"].endswith("page=2&taille=3")
    last = client.get(reverse("api:peers"), {"taille": 3, "page": 3}).json()
    assert len(last["resultats"]) == 2 and last["suivant"] is None
    response = client.get(reverse("api:peers"), {"page": 9})
    assert response.status_code == 404
    assert response.json()["erreur"] == "Page non valide."
    # Logged: the ids of the page shown, not of the whole list.
    assert AccessEvent.objects.order_by("pk").first().object_ids == [
        p["id"] for p in first["resultats"]
    ]


def test_queries_do_not_grow_with_rows(world):
    _token, secret = issue_token(world, "a")
    client = token_client(secret)
    client.get(reverse("api:indicators"))
    client.get(reverse("api:peers"))  # the first call records the token's last use
    peer = world.peer("peer_a")
    group = GroupFactory(organisation=world.org_a, facility=world.facility_a)

    def add(n, factory, **kwargs):
        for _i in range(n):
            factory(**kwargs)

    assert_constant_queries(
        client, reverse("api:peers"), lambda n: add(n, PeerWorkerFactory, employer=world.org_a)
    )
    assert_constant_queries(
        client, reverse("api:contracts"), lambda n: add(n, ContractFactory, peer=peer)
    )
    assert_constant_queries(
        client, reverse("api:trainings"), lambda n: add(n, TrainingFactory, peer=peer)
    )
    assert_constant_queries(
        client, reverse("api:group_sessions"), lambda n: add(n, GroupSessionFactory, group=group)
    )
    assert_constant_queries(
        client,
        reverse("api:institutional_activities"),
        lambda n: add(n, ActivityFactory, organisation=world.org_a),
    )
