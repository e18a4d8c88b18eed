"""The list of groups and the sessions of a group sort and filter; managers export groups."""

import datetime

import pytest
from django.urls import reverse

from entrepairs.groups.models import Group
from tests.listing import (
    assert_constant_queries,
    assert_sorts_by_column,
    check_sorts,
    french_date,
    last_export,
    read_export,
    table_rows,
)

from .factories import GroupFactory, GroupSessionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("groups:group_list")
EXPORT = reverse("groups:group_list_export")
TODAY = datetime.date.today()


@pytest.fixture
def groups(world):
    made = []
    for name, kind, sessions, headcount in (
        ("Marche", Group.Kind.PEER_MEDIATION, 1, 9),
        ("Atelier cuisine", Group.Kind.THEMATIC_WORKSHOP, 3, 2),
        ("Parole libre", Group.Kind.TALKING_GROUP, 2, 4),
    ):
        group = GroupFactory(organisation=world.org_a, name=name, kind=kind)
        for n in range(sessions):
            GroupSessionFactory(
                group=group,
                headcount=headcount,
                date=TODAY - datetime.timedelta(days=n + len(name)),
            )
        made.append(group)
    return made


def names(response):
    return [
        row[0].split(" arrêté")[0].split(" ouvert")[0].split(" fermé")[0]
        for row in table_rows(response)
    ]


@pytest.mark.parametrize(
    "key,column,parse", [("type", 1, None), ("seances", 4, int), ("participations", 5, int)]
)
def test_columns_sort(world, groups, key, column, parse):
    assert_sorts_by_column(world.client("coordinator_a"), LIST, key, column, parse)


def test_name_sort_and_every_header(world, groups):
    client = world.client("coordinator_a")
    assert names(client.get(LIST, {"tri": "groupe"})) == [
        "Atelier cuisine",
        "Marche",
        "Parole libre",
    ]
    check_sorts(client, LIST, ["groupe", "type", "seances", "participations", "derniere"])


def test_filters_and_tampering(world, groups):
    client = world.client("coordinator_a")
    assert names(client.get(LIST, {"type": "parole"})) == ["Parole libre"]
    groups[0].is_active = False
    groups[0].save()
    assert names(client.get(LIST, {"en_activite": "non"})) == ["Marche"]
    for tampered in ({"tri": "organisation__name"}, {"type": "x"}, {"lieu": world.facility_b.pk}):
        response = client.get(LIST, tampered)
        assert response.status_code == 200 and len(table_rows(response)) == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_equals_the_list_and_stays_in_the_organisation(world, groups, fmt):
    GroupFactory(organisation=world.org_b, name="=Groupe B")
    params = {"tri": "-participations"}
    shown = names(world.client("director_a").get(LIST, params))
    rows = read_export(world.client("director_a").get(EXPORT, {**params, "format": fmt}))
    assert [r[0] for r in rows[1:]] == shown
    assert "=Groupe B" not in str(rows) and "'=Groupe B" not in str(rows)
    assert last_export().object_type == "groups.group"
    rows_b = read_export(world.client("coordinator_b").get(EXPORT, {"format": fmt}))
    assert [r[0] for r in rows_b[1:]] == ["'=Groupe B"]


@pytest.mark.parametrize("persona", ["peer_a", "professional_a", "regional_observer"])
def test_only_managers_export(world, persona):
    assert world.client(persona).get(EXPORT, {"format": "csv"}).status_code == 403


def test_sessions_of_a_group_sort(world, groups):
    url = reverse("groups:group_detail", args=[groups[1].pk])
    client = world.client("director_a")
    assert_sorts_by_column(client, url, "date", 0, french_date)
    check_sorts(client, url, ["date", "duree", "participants"])
    assert client.get(url, {"tri": "group__organisation"}).status_code == 200


def test_constant_queries(world):
    for url in (f"{LIST}?tri=seances&type=parole", f"{EXPORT}?format=xlsx"):
        assert_constant_queries(
            world.client("coordinator_a"),
            url,
            lambda n: [
                GroupSessionFactory(group=GroupFactory(organisation=world.org_a, kind="parole"))
                for _ in range(n)
            ],
        )
