"""The directory of resources and the encounters of a person sort and filter; the directory
exports (not person data, logged all the same)."""

import datetime

import pytest
from django.urls import reverse

from entrepairs.accompaniment.models import Encounter, Resource
from tests.listing import (
    assert_constant_queries,
    assert_sorts_by_column,
    check_sorts,
    first_column,
    french_date,
    last_export,
    read_export,
    table_rows,
)

from .factories import ResourceFactory, make_encounter, make_person

pytestmark = pytest.mark.django_db

RESOURCES = reverse("accompaniment:resource_list")
RESOURCES_EXPORT = reverse("accompaniment:resource_list_export")


@pytest.fixture
def resources(world):
    return [
        ResourceFactory(organisation=world.org_a, name=name, kind=kind, contact=contact)
        for name, kind, contact in (
            ("Maison Zola", Resource.Kind.HOUSING, "=1+1"),
            ("GEM Arc-en-ciel", Resource.Kind.GEM, "03 20 00 00 00"),
            ("Club Horizon", Resource.Kind.CLUBHOUSE, "+33 3 20 00 00 01"),
        )
    ]


def resource_names(response):
    return [name.split(" (")[0] for name in first_column(response)]


class TestResources:
    def test_sorts(self, world, resources):
        client = world.client("professional_a")
        assert resource_names(client.get(RESOURCES, {"tri": "nom"})) == [
            "Club Horizon",
            "GEM Arc-en-ciel",
            "Maison Zola",
        ]
        assert_sorts_by_column(client, RESOURCES, "type", 1)
        check_sorts(client, RESOURCES, ["nom", "type", "commune"])

    def test_filters_keep_the_old_type_parameter(self, world, resources):
        client = world.client("peer_a")
        assert resource_names(client.get(RESOURCES, {"type": "gem"})) == ["GEM Arc-en-ciel"]
        assert resource_names(client.get(RESOURCES, {"q": "zola"})) == ["Maison Zola"]
        assert client.get(RESOURCES, {"type": "<script>"}).status_code == 200

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_export_neutralises_formulas_and_keeps_the_wall(self, world, resources, fmt):
        ResourceFactory(organisation=world.org_b, name="Ailleurs")
        rows = read_export(world.client("professional_a").get(RESOURCES_EXPORT, {"format": fmt}))
        assert rows[0] == ["Nom", "Type", "Commune", "Contact", "Toujours ouverte"]
        contacts = {r[0]: r[3] for r in rows[1:]}
        assert set(contacts) == {"Maison Zola", "GEM Arc-en-ciel", "Club Horizon"}
        assert contacts["Maison Zola"] == "'=1+1"
        assert contacts["Club Horizon"] == "'+33 3 20 00 00 01"
        assert last_export().object_type == "accompaniment.resource"
        assert world.client("director_a").get(RESOURCES_EXPORT, {"format": fmt}).status_code == 403

    def test_constant_queries(self, world):
        assert_constant_queries(
            world.client("peer_a"),
            f"{RESOURCES_EXPORT}?format=xlsx&tri=commune",
            lambda n: [ResourceFactory(organisation=world.org_a) for _ in range(n)],
        )


class TestEncounters:
    @pytest.fixture
    def person(self, world):
        person = make_person(world, alias="Léa M.")
        today = datetime.date.today()
        for days, minutes, outcome in ((3, 30, "held"), (10, 90, "missed"), (6, 60, "cancelled")):
            make_encounter(
                person,
                date=today - datetime.timedelta(days=days),
                duration_minutes=minutes,
                outcome=outcome,
                note="confidentiel",
            )
        return person

    def url(self, person):
        return reverse("accompaniment:encounter_list", args=[person.pk])

    @pytest.mark.parametrize(
        "key,column,parse",
        [
            ("date", 1, french_date),
            ("duree", 3, lambda t: int(t.split()[0])),
            ("deroulement", 4, None),
        ],
    )
    def test_columns_sort(self, world, person, key, column, parse):
        # Column 0 is "Corriger" for the peer who recorded them.
        assert_sorts_by_column(world.client("peer_a"), self.url(person), key, column, parse)

    def test_filters_and_tampering(self, world, person):
        client = world.client("coordinator_a")
        rows = table_rows(client.get(self.url(person), {"deroulement": "missed"}))
        assert len(rows) == 1
        response = client.get(self.url(person), {"tri": "note", "mode": "fax"})
        assert response.status_code == 200 and len(table_rows(response)) == 3
        check_sorts(client, self.url(person), ["date", "duree", "deroulement", "pair"])

    def test_sorting_by_note_is_not_offered(self, world, person):
        # The note is private: ordering by it would leak it bit by bit.
        first = first_column(world.client("professional_a").get(self.url(person), {"tri": "note"}))
        default = first_column(world.client("professional_a").get(self.url(person)))
        assert first == default
        assert Encounter.objects.count() == 3
