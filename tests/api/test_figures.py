"""Public figures: the very figures and protection of ``observatory.dashboards`` (the API's
source; the pages now read the published figures), no other period."""

import pytest
from django.test import Client
from django.urls import reverse

from entrepairs.api.indicators import INDICATORS
from entrepairs.core.models import AccessEvent
from entrepairs.observatory import dashboards
from entrepairs.observatory.dashboards import Row
from tests.observatory.raw_activity import (
    CMP,
    HOME,
    SETTINGS,
    accompany,
    other_region_org,
    publish_dashboards,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(world):
    """org_a: 3 persons in CMP, 20 at home; org_b: 15 in CMP, 12 at home (region 32); one
    organisation of another region with 4 persons."""
    accompany(world, world.org_a, CMP, 3)
    accompany(world, world.org_a, HOME, 20)
    accompany(world, world.org_b, CMP, 15)
    accompany(world, world.org_b, HOME, 12)
    accompany(world, other_region_org(), CMP, 4)
    publish_dashboards()  # the API reads the published tables
    return world


def api_cells(data: dict) -> dict:
    """The same cells from the API's answer."""
    cells = {}

    def put(row, values, settings):
        for key, col in (("persons", "persons"), ("encounters", "encounters")):
            cells[(row, col)] = "hidden" if values[key] is None else str(values[key])
        for i, code in enumerate(SETTINGS):
            value = settings[code]
            cells[(row, str(i))] = "hidden" if value is None else str(value)
        cells[(row, "total")] = cells[(row, "persons")]

    for row in data["resultats"]:
        put(str(row["cle"]), row, row["persons_by_setting"])
    put("total", data["totaux"], data["totaux"]["persons_by_setting"])
    return cells


def dashboard_cells(dashboard) -> dict:
    """{(row, column): "text"} of a dashboard (hidden cells: "hidden")."""
    cells = {}

    def put(row, persons, encounters, by_setting):
        for col, value in (("persons", persons), ("encounters", encounters)):
            cells[(row, col)] = "hidden" if value is None else str(value)
        for i, value in enumerate(by_setting):
            cells[(row, str(i))] = "hidden" if value is None else str(value)
        cells[(row, "total")] = cells[(row, "persons")]

    for row in dashboard.rows:
        put(str(row.key), row.persons, row.encounters, row.persons_by_setting)
    totals = dashboard.totals
    put("total", totals["persons"], totals["encounters"], dashboard.persons_by_setting_totals)
    return cells


def compare(dashboard, data):
    page = dashboard_cells(dashboard)
    api = api_cells(data)
    compared = {k: v for k, v in api.items() if k in page}
    assert len(compared) >= 10
    assert compared == {k: page[k] for k in compared}


def test_regional_figures_are_those_of_the_page(dataset):
    region = dataset.org_a.region
    response = Client().get(reverse("api:figures_regional", kwargs={"code": region.code}))
    assert response.status_code == 200
    data = response.json()
    compare(dashboards.regional(region), data)
    rows = {row["cle"]: row for row in data["resultats"]}
    # 3 persons in CMP for org A: hidden (primary), and its partner hidden too (secondary).
    assert rows[dataset.org_a.pk]["persons_by_setting"][CMP] is None
    assert data["totaux"]["persons"] == 50
    assert data["seuil"] == 11
    assert data["cases_masquees"] >= 2
    assert data["niveau"] == "regional"
    assert data["region"] == {"code": region.code, "nom": region.name}


def test_national_figures_are_those_of_the_page(dataset):
    data = Client().get(reverse("api:figures_national")).json()
    compare(dashboards.national(), data)
    other = next(r for r in data["resultats"] if r["libelle"].endswith("(11)"))
    assert other["persons"] is None  # 4 persons: never published


def test_no_other_period_can_be_asked(dataset):
    """Two overlapping periods subtracted would rebuild a hidden count: only the pages'."""
    url = reverse("api:figures_national")
    plain = Client().get(url).json()
    for query in ({"fin": "2020-01-01"}, {"debut": "2019-01-01"}, {"periode": "2020"}):
        assert Client().get(url, query).json()["periode"] == plain["periode"]


def test_public_figures_write_no_audit_event(dataset):
    Client().get(reverse("api:figures_national"))
    assert not AccessEvent.objects.exists()


def test_unknown_region_answers_french_json_404(world):
    response = Client().get(reverse("api:figures_regional", kwargs={"code": "99"}))
    assert response.status_code == 404
    assert response.json() == {"erreur": "Région inconnue.", "code": "introuvable"}


def test_every_indicator_is_a_column_of_the_published_table(world):
    columns = set(Row.__dataclass_fields__) - {"key", "label"}
    assert {i["code"] for i in INDICATORS} == columns
    data = Client().get(reverse("api:indicators")).json()
    assert data["nombre"] == len(INDICATORS)
    persons = next(i for i in data["resultats"] if i["code"] == "persons")
    assert persons["secret_statistique"] is True
    assert persons["niveaux"] == ["national", "regional"]


def test_english_browser_still_gets_french_errors(world):
    response = Client(headers={"accept-language": "en"}).get(reverse("api:peers"))
    assert response.status_code == 401
    assert response.json()["erreur"].startswith("Cette adresse demande un jeton")
    response = Client(headers={"accept-language": "en"}).get("/api/v1/inconnu/")
    assert response.status_code == 404
    assert response.json() == {
        "erreur": "Cette adresse n'existe pas dans l'API.",
        "code": "introuvable",
    }
