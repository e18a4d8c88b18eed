"""The list of persons sorts, filters and exports (core/listing.py), within the tenant wall."""

import datetime

import pytest
from django.urls import reverse

from entrepairs.core import listing
from entrepairs.core.models import AccessEvent
from tests.factories import CommuneFactory
from tests.listing import (
    assert_constant_queries,
    check_sorts,
    first_column,
    last_export,
    read_export,
    table_rows,
)

from .factories import make_person

pytestmark = pytest.mark.django_db

LIST = reverse("accompaniment:person_list")
EXPORT = reverse("accompaniment:person_list_export")
DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def persons(world):
    """Four persons whose columns each give another order."""
    douai = CommuneFactory(code="59178", name="Douai")
    arras = CommuneFactory(code="62041", name="Arras")
    specs = [
        ("Basile", 1990, world.commune_a, DAY, True),
        ("Anouk", 1975, douai, DAY - datetime.timedelta(days=30), False),
        ("Dora", 2001, arras, DAY - datetime.timedelta(days=3), True),
        ("Chloé", 1968, douai, DAY - datetime.timedelta(days=90), False),
    ]
    return [
        make_person(world, alias=a, birth_year=y, commune=c, last_activity_on=d, team_sharing=share)
        for a, y, c, d, share in specs
    ]


EXPECTED_ASCENDING = {
    "pseudonyme": ["Anouk", "Basile", "Chloé", "Dora"],
    "naissance": ["Chloé", "Anouk", "Basile", "Dora"],
    # Lille, Douai, Arras: Arras < Douai (Anouk before Chloé by pk) < Lille.
    "commune": ["Dora", "Anouk", "Chloé", "Basile"],
    "activite": ["Chloé", "Anouk", "Dora", "Basile"],
    "partage": ["Anouk", "Chloé", "Basile", "Dora"],
}


class TestSorting:
    @pytest.mark.parametrize("key", sorted(EXPECTED_ASCENDING))
    def test_each_allowed_column_sorts_both_ways(self, world, persons, key):
        client = world.client("coordinator_a")
        up = first_column(client.get(LIST, {"tri": key}))
        assert up == EXPECTED_ASCENDING[key]
        down = first_column(client.get(LIST, {"tri": f"-{key}"}))
        # Ties (same commune, same consent) keep the primary key, reversed with the column.
        assert down == list(reversed(EXPECTED_ASCENDING[key]))

    def test_headers_say_the_order_to_screen_readers(self, world, persons):
        check_sorts(world.client("coordinator_a"), LIST, EXPECTED_ASCENDING)

    @pytest.mark.parametrize(
        "tampered",
        ["organisation__name", "alias", "-", "pseudonyme,organisation", "'; DROP TABLE x", "\x00"],
    )
    def test_a_tampered_sort_falls_back_to_the_default_order(self, world, persons, tampered):
        response = world.client("coordinator_a").get(LIST, {"tri": tampered})
        assert response.status_code == 200
        # Default: most recently active first.
        assert first_column(response) == ["Basile", "Dora", "Anouk", "Chloé"]

    def test_sorting_keeps_pagination_and_filters(self, world, persons):
        for n in range(60):
            make_person(world, alias=f"Zoé {n:02d}", last_activity_on=DAY)
        response = world.client("coordinator_a").get(LIST, {"tri": "-pseudonyme", "q": "zo"})
        html = response.content.decode()
        assert "tri=-pseudonyme&amp;q=zo&amp;page=2" in html
        second = world.client("coordinator_a").get(
            LIST, {"tri": "-pseudonyme", "q": "zo", "page": 2}
        )
        assert first_column(second) == [f"Zoé {n:02d}" for n in range(9, -1, -1)]


class TestFilters:
    def test_filters_combine(self, world, persons):
        client = world.client("coordinator_a")
        assert first_column(client.get(LIST, {"partage": "oui"})) == ["Basile", "Dora"]
        assert first_column(client.get(LIST, {"partage": "non", "q": "ch"})) == ["Chloé"]
        since = (DAY - datetime.timedelta(days=31)).isoformat()
        assert first_column(client.get(LIST, {"active_depuis": since})) == [
            "Basile",
            "Dora",
            "Anouk",
        ]

    @pytest.mark.parametrize(
        "params",
        [
            {"partage": "peut-être"},
            {"active_depuis": "31/02/2026"},
            {"active_depuis": "99999-01-01"},
            {"q": "x" * 500},
            {"page": "-1"},
        ],
    )
    def test_a_tampered_filter_is_ignored_with_a_message(self, world, persons, params):
        response = world.client("coordinator_a").get(LIST, params)
        assert response.status_code == 200
        if "q" not in params and "page" not in params:
            assert 'aria-invalid="true"' in response.content.decode()
            assert len(table_rows(response)) == 4

    def test_reset_link_and_french_labels(self, world, persons):
        html = world.client("peer_a").get(LIST, {"partage": "oui"}).content.decode()
        assert f'href="{LIST}">Réinitialiser' in html
        assert "Partage avec l&#x27;équipe" in html and "Actives depuis le" in html

    def test_choices_of_the_other_organisation_never_show(self, world, persons):
        make_person(world, "b", alias="Bastien B.")
        response = world.client("coordinator_a").get(LIST, {"q": "Bastien"})
        assert table_rows(response) == []


class TestExport:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_export_holds_the_filtered_list_in_its_order(self, world, persons, fmt):
        client = world.client("coordinator_a")
        params = {"partage": "non", "tri": "naissance"}
        page_rows = table_rows(client.get(LIST, params))
        rows = read_export(client.get(EXPORT, {**params, "format": fmt}))
        assert rows[0] == [
            "Pseudonyme",
            "Année de naissance",
            "Commune",
            "Dernière activité",
            "Partage avec l'équipe",
        ]
        assert [r[0] for r in rows[1:]] == [r[0] for r in page_rows] == ["Chloé", "Anouk"]
        chloe = rows[1]
        if fmt == "csv":
            assert chloe == ["Chloé", "1968", "Douai", "03/03/2026", "non"]
        else:
            assert chloe[:3] == ["Chloé", 1968, "Douai"]
            assert chloe[3] == datetime.datetime(2026, 3, 3)
        event = last_export()
        assert event.object_type == "accompaniment.person"
        assert event.role == "coordinator" and event.organisation_id == world.org_a.pk
        exported = {r[0] for r in rows[1:]}
        assert sorted(event.object_ids) == sorted(p.pk for p in persons if p.alias in exported)
        # The person sees the export in "who accessed my record" (AccessEvent.about).
        chloe_pk = next(p.pk for p in persons if p.alias == "Chloé")
        assert (
            AccessEvent.objects.about("accompaniment.person", chloe_pk)
            .filter(action="export")
            .exists()
        )

    def test_export_takes_every_page(self, world):
        for n in range(70):
            make_person(world, alias=f"P{n:02d}")
        rows = read_export(world.client("coordinator_a").get(EXPORT, {"format": "csv"}))
        assert len(rows) == 71
        assert len(last_export().object_ids) == 70

    def test_filename_has_the_date(self, world, persons):
        response = world.client("peer_a").get(EXPORT, {"format": "xlsx"})
        assert response["Content-Disposition"].startswith('attachment; filename="personnes-20')
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_tenant_wall_in_exports(self, world, persons, fmt):
        make_person(world, "b", alias="Bastien B.")
        not_mine = make_person(world, alias="Hugo T.")
        not_mine.accompaniments.first().peers.clear()
        coordinator_b = read_export(world.client("coordinator_b").get(EXPORT, {"format": fmt}))
        assert [r[0] for r in coordinator_b[1:]] == ["Bastien B."]
        peer_a = read_export(world.client("peer_a").get(EXPORT, {"format": fmt}))
        assert "Hugo T." not in [r[0] for r in peer_a] and "Bastien B." not in [
            r[0] for r in peer_a
        ]
        assert len(peer_a) == 5

    @pytest.mark.parametrize(
        "persona", ["professional_a", "director_a", "regional_observer", "admin"]
    )
    def test_who_does_not_hold_the_records_cannot_export(self, world, persons, persona):
        assert world.client(persona).get(EXPORT, {"format": "csv"}).status_code == 403

    def test_professional_sees_no_export_link(self, world, persons):
        html = world.client("professional_a").get(LIST).content.decode()
        assert EXPORT not in html
        assert f"{EXPORT}?format=csv" in world.client("peer_a").get(LIST).content.decode()

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_formula_injection_is_neutralised(self, world, fmt):
        for alias in ('=HYPERLINK("http://x","clic")', "+1+1", "-2+3", "@SUM(A1)", "Ok"):
            make_person(world, alias=alias)
        rows = read_export(world.client("coordinator_a").get(EXPORT, {"format": fmt}))
        cells = sorted(r[0] for r in rows[1:])
        assert cells == sorted(
            ['\'=HYPERLINK("http://x","clic")', "'+1+1", "'-2+3", "'@SUM(A1)", "Ok"]
        )

    def test_unknown_format_is_404(self, world):
        assert world.client("peer_a").get(EXPORT, {"format": "pdf"}).status_code == 404
        assert world.client("peer_a").get(EXPORT).status_code == 404
        assert not AccessEvent.objects.filter(action="export").exists()

    def test_too_many_rows_are_refused_not_cut(self, world, persons, monkeypatch):
        monkeypatch.setattr(listing, "EXPORT_MAX_ROWS", 3)
        response = world.client("coordinator_a").get(EXPORT, {"format": "csv", "partage": ""})
        assert response.status_code == 302 and response["Location"] == LIST
        assert not AccessEvent.objects.filter(action="export").exists()
        page = world.client("coordinator_a").get(LIST)
        assert "limité à 3 lignes" in page.content.decode()

    def test_no_file_leaves_when_the_audit_fails(self, world, persons, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("journal indisponible")

        monkeypatch.setattr(listing, "log_access", broken)
        with pytest.raises(RuntimeError):
            world.client("coordinator_a").get(EXPORT, {"format": "csv"})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_is_constant(world, fmt):
    assert_constant_queries(
        world.client("coordinator_a"),
        f"{EXPORT}?format={fmt}&tri=commune",
        lambda n: [make_person(world) for _ in range(n)],
    )


def test_sorted_filtered_list_query_count_is_constant(world):
    assert_constant_queries(
        world.client("peer_a"),
        f"{LIST}?tri=-partage&active_depuis=2000-01-01",
        lambda n: [make_person(world) for _ in range(n)],
    )


def test_a_date_filter_shows_its_value_back_in_the_date_input(world):
    html = world.client("peer_a").get(LIST, {"active_depuis": "2026-05-01"}).content.decode()
    assert 'type="date"' in html and 'value="2026-05-01"' in html
