"""The list of institutional activities sorts, filters and exports (managers)."""

import datetime

import pytest
from django.urls import reverse

from entrepairs.institution.models import InstitutionalActivity
from tests.listing import (
    assert_constant_queries,
    assert_sorts_by_column,
    check_sorts,
    french_date,
    last_export,
    read_export,
    table_rows,
)

from .factories import ActivityFactory

pytestmark = pytest.mark.django_db

LIST = reverse("institution:activity_list")
EXPORT = reverse("institution:activity_list_export")
Kind = InstitutionalActivity.Kind


@pytest.fixture
def activities(world):
    return [
        ActivityFactory(
            organisation=world.org_a,
            title=title,
            kind=kind,
            date=datetime.date(2026, month, 1),
            audience_nurses=nurses,
        )
        for title, kind, month, nurses in (
            ("Cours IFSI", Kind.TEACHING, 3, 30),
            ("Formation croisée", Kind.CROSS_TRAINING, 1, 12),
            ("Sensibilisation", Kind.AWARENESS, 2, 5),
        )
    ]


@pytest.mark.parametrize(
    "key,column,parse",
    [("date", 0, french_date), ("action", 1, None), ("type", 2, None), ("public", 5, int)],
)
def test_columns_sort(world, activities, key, column, parse):
    assert_sorts_by_column(world.client("coordinator_a"), LIST, key, column, parse)
    check_sorts(world.client("coordinator_a"), LIST, [key, "duree"])


def test_filters(world, activities):
    client = world.client("director_a")
    assert [r[1] for r in table_rows(client.get(LIST, {"type": Kind.TEACHING}))] == ["Cours IFSI"]
    rows = table_rows(client.get(LIST, {"du": "2026-01-15", "au": "2026-02-15"}))
    assert [r[1] for r in rows] == ["Sensibilisation"]
    response = client.get(LIST, {"du": "31/02/2026", "tri": "x"})
    assert response.status_code == 200 and len(table_rows(response)) == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export(world, activities, fmt):
    ActivityFactory(organisation=world.org_b, title="Autre établissement")
    params = {"tri": "public"}
    shown = [r[1] for r in table_rows(world.client("coordinator_a").get(LIST, params))]
    rows = read_export(world.client("coordinator_a").get(EXPORT, {**params, "format": fmt}))
    assert (
        [r[1] for r in rows[1:]] == shown == ["Sensibilisation", "Formation croisée", "Cours IFSI"]
    )
    assert rows[0][-1] == "Public (total)"
    assert last_export().object_type == "institution.institutionalactivity"
    assert sorted(last_export().object_ids) == sorted(a.pk for a in activities)
    assert world.client("peer_a").get(EXPORT, {"format": fmt}).status_code == 403


def test_constant_queries(world):
    for url in (f"{LIST}?tri=-public", f"{EXPORT}?format=csv"):
        assert_constant_queries(
            world.client("coordinator_a"),
            url,
            lambda n: [ActivityFactory(organisation=world.org_a) for _ in range(n)],
        )
