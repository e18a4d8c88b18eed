"""Observatory dashboards and indicator pages over published figures: what each reader sees,
hidden figures against zeros, periods, scopes, constant query counts."""

import re

import pytest
from django.urls import reverse

from entrepairs.core.models import AccessEvent
from entrepairs.observatory.periods import Period
from tests.factories import DepartmentFactory, RegionFactory

from .published_rows import HIDDEN, publish_world

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)
Q1, Q2 = Period.quarter(2025, 1), Period.quarter(2025, 2)


@pytest.fixture
def published(world):
    DepartmentFactory(code="29", name="Finistère", region=RegionFactory(code="53", name="Bretagne"))
    for period in (YEAR, Q1, Q2):
        publish_world(world, period)
    return world


def headline(html, code):
    """The text of the headline figure of indicator ``code`` on a page."""
    match = re.search(rf'data-indicator="{code}">(.*?)</p>', html, re.S)
    assert match, code
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def get(world, persona, url, **query):
    response = world.client(persona).get(url, query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_national_dashboard_shows_figures_by_theme_with_definition_links(published):
    html = get(published, "national_observer", reverse("observatory:national"))
    assert headline(html, "personnes_accompagnees") == "240 personnes"
    for theme in ("Les pairs et leurs conditions", "Les trois missions", "La voix des personnes"):
        assert theme in html
    assert f"{reverse('observatory:definitions')}#personnes_accompagnees" in html
    # The default period is the latest published year.
    assert '<option value="2025" selected>' in html


def test_hidden_figure_says_why_and_zero_stays_zero(published):
    html = get(published, "national_observer", reverse("observatory:departement", args=["29"]))
    assert headline(html, "pairs") == "0 pairs"
    assert "Zéro : rien n'a été enregistré" in html
    assert headline(html, "personnes_accompagnees") == "secret statistique"
    assert "Masqué : moins de 11 personnes" in html
    # A staff attribute's hidden figure gives its own threshold (3 peers).
    director = get(published, "director_a", reverse("observatory:etablissement"))
    assert 'data-state="secret"' in director  # org A's first breakdowns are hidden


def test_choosing_a_quarter_and_refusing_other_periods(published):
    url = reverse("observatory:national")
    html = get(published, "national_observer", url, periode="2025-T2")
    assert '<option value="2025-T2" selected>' in html
    for bad in ("2025-T3", "2024", "2025-01-01:2025-03-31", "x" * 300, "2025-T9"):
        html = get(published, "national_observer", url, periode=bad)
        assert 'id="periode-error"' in html, bad
        assert '<option value="2025" selected>' in html  # falls back to the latest year
    # No rolling window and no free dates: extra parameters change nothing.
    plain = get(published, "national_observer", url)
    asked = get(published, "national_observer", url, debut="2025-02-01", fin="2025-03-01")
    assert headline(plain, "personnes_accompagnees") == headline(asked, "personnes_accompagnees")


def test_nothing_published_yet_says_so(world):
    html = get(world, "national_observer", reverse("observatory:national"))
    assert 'id="nothing-published"' in html
    assert "Aucune période n'a encore été publiée" in html


def test_regional_observer_reads_only_their_region(published):
    html = get(published, "regional_observer", reverse("observatory:regional"))
    assert "Hauts-de-France" in html
    # Another region's code answers 404, on the dashboard and the indicator pages...
    other_region = published.client("regional_observer").get(
        reverse("observatory:regional"), {"region": "53"}
    )
    assert other_region.status_code == 404
    url = reverse("observatory:regional_indicator", args=["pairs"])
    assert published.client("regional_observer").get(url, {"region": "53"}).status_code == 404
    # ... and other régions' départements answer 404.
    other = reverse("observatory:departement", args=["29"])
    assert published.client("regional_observer").get(other).status_code == 404
    assert published.client("national_observer").get(other).status_code == 200
    unknown = reverse("observatory:departement", args=["999"])
    assert published.client("national_observer").get(unknown).status_code == 404


def test_national_observer_chooses_a_region(published):
    html = get(published, "national_observer", reverse("observatory:regional"))
    assert 'name="region"' in html
    html = get(published, "national_observer", reverse("observatory:regional"), region="53")
    assert "Observatoire – Région Bretagne" in html
    bad = published.client("national_observer").get(
        reverse("observatory:regional"), {"region": "<x>"}
    )
    assert bad.status_code == 404


def test_establishment_director_sees_protected_figures_coordinator_unprotected(published):
    director = get(published, "director_a", reverse("observatory:etablissement"))
    assert 'id="protection-note"' in director
    assert 'id="unprotected-note"' not in director
    assert headline(director, "personnes_accompagnees") == "12 personnes"  # published row
    coordinator = get(published, "coordinator_a", reverse("observatory:etablissement"))
    # The coordinator holds the records: figures computed from them (none here), flagged.
    assert 'id="unprotected-note"' in coordinator
    assert headline(coordinator, "personnes_accompagnees") != "12 personnes"


def test_indicator_page_has_series_breakdown_areas_and_maps(published):
    url = reverse("observatory:national_indicator", args=["personnes_accompagnees"])
    html = get(published, "national_observer", url, periode="2025-T2")
    assert 'id="series-table"' in html and "2025-T1" in html and "2025-T2" in html
    assert 'role="img"' in html and 'class="ep-chart"' in html
    assert 'id="areas-region-table"' in html
    assert 'id="carte-region-table"' in html and 'id="carte-department-table"' in html
    # Regions link to their own page, with the period kept.
    assert (
        "/observatoire/regional/indicateurs/personnes_accompagnees/?region=32&amp;periode=2025-T2"
        in html
    )
    regional = get(
        published,
        "regional_observer",
        reverse("observatory:regional_indicator", args=["personnes_accompagnees"]),
    )
    # The regional map lists only the région's départements.
    table = regional.split('id="carte-department-table"')[1].split("</table>")[0]
    assert 'data-code="59"' in table and 'data-code="29"' not in table
    assert 'id="areas-organisation-table"' in regional


def test_unknown_indicator_answers_404(published):
    url = reverse("observatory:national_indicator", args=["nope"])
    assert published.client("national_observer").get(url).status_code == 404


def test_pages_write_no_audit_event(published):
    before = AccessEvent.objects.count()
    get(published, "national_observer", reverse("observatory:national"))
    get(published, "director_a", reverse("observatory:etablissement"))
    assert AccessEvent.objects.count() == before


@pytest.mark.parametrize(
    "persona,url",
    [
        ("national_observer", reverse("observatory:national")),
        ("regional_observer", reverse("observatory:regional")),
        ("regional_observer", reverse("observatory:departement", args=["59"])),
        ("director_a", reverse("observatory:etablissement")),
        (
            "national_observer",
            reverse("observatory:national_indicator", args=["personnes_accompagnees"]),
        ),
        ("regional_observer", reverse("observatory:regional_indicator", args=["mieux_compris"])),
    ],
)
def test_query_count_does_not_grow_with_the_number_of_areas(world, persona, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for scale in (1, 30):
        from entrepairs.observatory.models import Publication

        Publication.objects.all().delete()
        for period in (YEAR, Q1):
            publish_world(world, period, scale=scale)
        client = world.client(persona)
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_hidden_persons_are_never_shown_as_numbers_in_any_table(published):
    """Org B's persons are hidden: no page, table or map row gives a number for them."""
    url = reverse("observatory:regional_indicator", args=["personnes_accompagnees"])
    html = get(published, "regional_observer", url)
    row = re.search(
        rf'<tr data-code="{published.org_b.pk}">(.*?)</tr>',
        html.split('id="areas-organisation-table"')[1],
        re.S,
    ).group(1)
    assert "secret statistique" in row
    assert not re.search(r">\s*\d+\s*<", re.sub(r"<th.*?</th>", "", row, flags=re.S))
    assert HIDDEN is None
