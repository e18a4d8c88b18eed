"""The adversary test of the publishing step (issue 10, point 5).

Realistic data with small cells in several regions, départements and quarters; everything
published for two consecutive years (each year with its four quarters) and the quarters of the
current year is attacked at once by linear programming (``adversary.py``). The test fails if a
hidden figure is pinned to one value, if a hidden small count can be proved small, if a shown
count of persons lies between 1 and 10, or if a sum of hidden figures an equation reveals (the
persons behind a derived mean, 12·m₁₂ − 11·m₁₁) lies between 1 and 10.

It also shows that the attack has teeth: against the former per-table suppression
(``suppression.py`` applied to the national table and to each regional table, as the old
dashboards did) and against primary suppression alone, it recovers a hidden count.
"""

import datetime

import pytest
from django.utils import timezone

from entrepairs.accompaniment.models import Accompaniment, Encounter, Person
from entrepairs.evaluation.models import AnonymousResponse
from entrepairs.evaluation.scoring import score_response
from entrepairs.observatory import catalogue, published, publishing
from entrepairs.observatory.disclosure import Cell, Constraint, protect
from entrepairs.observatory.models import PublishedFigure
from entrepairs.observatory.periods import Period
from entrepairs.observatory.suppression import suppress_small_cells
from tests.evaluation.factories import builtin
from tests.factories import DepartmentFactory, OrganisationFactory, PeerWorkerFactory, RegionFactory

from .adversary import attack

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year - 2  # two ended years: YEAR and YEAR + 1
CMP, HOME, COMMUNITY = (
    Accompaniment.Setting.CMP,
    Accompaniment.Setting.HOME,
    Accompaniment.Setting.COMMUNITY,
)
SETTINGS = (CMP, HOME, COMMUNITY)

# Persons per organisation, setting and quarter of YEAR (the same persons are met again in
# the next quarter when ``again`` says so). Region 32 reproduces the leak of the issue: home
# 25 + 20 in region 32, 3 in region 11, 0 in region 44 (national 48 − regional 45 = 3).
LAYOUT = {
    # region, département, organisation
    ("32", "59", "a1"): {CMP: [15, 12, 3, 18], HOME: [25, 14, 16, 11], COMMUNITY: [4, 0, 12, 2]},
    ("32", "59", "a2"): {CMP: [12, 5, 14, 14], HOME: [20, 11, 2, 15], COMMUNITY: [0, 13, 0, 0]},
    ("32", "62", "a3"): {CMP: [30, 22, 7, 12], HOME: [0, 1, 12, 3], COMMUNITY: [11, 6, 15, 0]},
    ("11", "75", "b1"): {CMP: [14, 16, 21, 2], HOME: [3, 12, 0, 14], COMMUNITY: [0, 0, 5, 11]},
    ("11", "92", "b2"): {CMP: [20, 3, 11, 13], HOME: [0, 0, 15, 12], COMMUNITY: [12, 14, 0, 7]},
    ("44", "67", "c1"): {CMP: [25, 13, 9, 11], HOME: [0, 16, 13, 1], COMMUNITY: [13, 11, 12, 14]},
}
# Answers "mieux compris" per organisation and quarter of YEAR (n, of which "oui").
UNDERSTOOD = {
    "a1": [(12, 9), (3, 3), (14, 11), (11, 8)],
    "a2": [(8, 8), (13, 10), (2, 1), (12, 12)],
    "a3": [(15, 12), (11, 9), (12, 10), (0, 0)],
    "b1": [(3, 3), (12, 9), (11, 7), (13, 13)],
    "b2": [(11, 10), (12, 8), (4, 4), (15, 11)],
    "c1": [(20, 16), (9, 7), (13, 12), (12, 9)],
}


def quarter_day(year, q):
    return datetime.date(year, 3 * q - 1, 15)


@pytest.fixture
def territory():
    regions, departments, orgs = {}, {}, {}
    for region, dept, key in LAYOUT:
        regions.setdefault(region, RegionFactory(code=region, name=f"Région {region}"))
        departments.setdefault(
            dept, DepartmentFactory(code=dept, name=f"Dpt {dept}", region=regions[region])
        )
        orgs[key] = OrganisationFactory(name=f"Établissement {key}", department=departments[dept])
    return orgs


@pytest.fixture
def records(territory):
    """Persons and encounters of YEAR, YEAR + 1 (the same counts shifted) and answers."""
    version = builtin("satisfaction-personnes")
    for (_r, _d, key), by_setting in LAYOUT.items():
        org = territory[key]
        peer = PeerWorkerFactory(employer=org)
        for year, shift in ((YEAR, 0), (YEAR + 1, 1)):
            for setting, counts in by_setting.items():
                for q, n in enumerate(counts, start=1):
                    if year > YEAR and q > 1:
                        break  # the next year: its first quarter only
                    n = max(0, n + (shift if n else 0))
                    for i in range(n):
                        person = Person.objects.create(
                            organisation=org, alias=f"{key}{setting}{year}{q}{i}", birth_year=1980
                        )
                        acc = Accompaniment.objects.create(
                            person=person, setting=setting, start=quarter_day(year, q)
                        )
                        Encounter.objects.create(
                            accompaniment=acc,
                            peer=peer,
                            date=quarter_day(year, q),
                            duration_minutes=30,
                            mode=Encounter.Mode.IN_PERSON if i % 3 else Encounter.Mode.PHONE,
                            outcome=Encounter.Outcome.HELD,
                            kinds=["soutien"] if i % 2 else ["accueil", "soutien"],
                        )
                        # A third of them are met again the next quarter, in the same year.
                        if i % 3 == 0 and q < 4:
                            Encounter.objects.create(
                                accompaniment=acc,
                                peer=peer,
                                date=quarter_day(year, q + 1),
                                duration_minutes=30,
                                mode=Encounter.Mode.IN_PERSON,
                                outcome=Encounter.Outcome.HELD,
                                kinds=["orientation"],
                            )
        for q, (n, yes) in enumerate(UNDERSTOOD[key], start=1):
            for i in range(n):
                answers = {"understood": "yes" if i < yes else ("partly" if i % 2 else "no")}
                AnonymousResponse.objects.create(
                    organisation=org,
                    instrument_version=version,
                    month=quarter_day(YEAR, q).replace(day=1),
                    answers=answers,
                    scores=score_response(version.definition, answers),
                )
    return territory


ATTACKED = (
    "personnes_accompagnees",
    "rencontres_par_mode",
    "rencontres_par_nature",
    "mieux_compris",
)


def true_values(code, periods):
    areas = publishing.Areas()
    indicator = catalogue.get(code)
    figures = publishing.compute_family(periods, areas, [indicator])[code]
    return {
        (p, level, area, b): publishing._cell_value(indicator, item)
        for p, cells in figures.items()
        for (level, area, b), item in cells.items()
    }


def assert_protected(code, truth):
    indicator = catalogue.get(code)
    threshold = indicator.threshold
    intervals, revealed = attack(indicator)
    assert intervals, f"{code}: the data must produce hidden figures"
    for key, (low, high) in intervals.items():
        value = truth[key]
        if value == 0 and high < 1:
            continue  # a zero pinned at zero discloses nothing (zeros are shown)
        assert high - low >= 1 - 1e-6, f"{code} {key} pinned to {low} (true {value})"
        if 0 < value < threshold:
            assert high >= threshold - 1e-6, f"{code} {key} provably below {threshold}"
    figures = PublishedFigure.objects.filter(indicator=code).exclude(status="hidden")
    for row in figures:
        shown = row.denominator if indicator.is_ratio else row.value
        if indicator.is_ratio and row.value is None:
            continue
        assert not (0 < (shown or 0) < threshold), f"{code} shows {shown} for {row}"
    for keys, total in revealed:
        assert total == 0 or total >= threshold - 1e-6, (
            f"{code}: the hidden figures {keys} sum to {total}, a derivable small group"
        )
    return len(intervals)


def publish_all():
    """A year with its four quarters, then the first quarter of the next year (consecutive
    to the fourth quarter) as a quarter published before its year."""
    publishing.publish(Period.year(YEAR), indicators=ATTACKED)
    publishing.publish(Period.quarter(YEAR + 1, 1), indicators=ATTACKED)


def test_nothing_published_can_be_combined_into_a_small_count(records):
    publish_all()
    hidden = 0
    for code in ATTACKED:
        hidden += assert_protected(code, true_values(code, _published_periods()))
    assert hidden > 20


def _published_periods():
    return sorted(set(published.periods()))


def test_the_known_leaks_of_the_issue_are_closed(records):
    publish_all()
    year = Period.year(YEAR)
    national = {
        f.breakdown: f
        for f in published.cross("personnes_accompagnees", "nation", year)["FR"].values()
    }
    regional = published.cross("personnes_accompagnees", "region", year)
    # national "à domicile" minus the regions' shown figures never gives a small number
    shown = [r[HOME].value for r in regional.values() if not r[HOME].hidden]
    if not national[HOME].hidden and any(r[HOME].hidden for r in regional.values()):
        rest = national[HOME].value - sum(shown)
        assert rest == 0 or rest >= 11
    # Two consecutive quarters and the year: no figure of a quarter is shown between 1 and 10.
    for period in year.quarters():
        for row in published.table("mieux_compris", "organisation", period):
            assert row.hidden or row.denominator == 0 or row.denominator >= 11


def test_the_attack_finds_the_leak_of_per_table_suppression(records):
    """The former method (one table at a time) leaks under the same attack: this proves the
    attacker has teeth. Checked: it recovers the hidden « à domicile » count of region 11."""
    quarter = Period.quarter(YEAR, 1)
    areas = publishing.Areas()
    indicator = catalogue.get("personnes_accompagnees")
    figures = publishing.compute_family([quarter], areas, [indicator])[indicator.code][quarter.code]
    keys = ["", *SETTINGS]
    orgs_by_region = {}
    for code, _name, _dept, region in areas.organisations:
        orgs_by_region.setdefault(region, []).append(code)
    regions = sorted(orgs_by_region)
    values, hidden = {}, set()

    def cell(level, area, b):
        return int(figures[(level, area, b)].value)

    # The national table: regions × settings, with totals.
    national = suppress_small_cells([[cell("region", r, s) for s in SETTINGS] for r in regions])
    for i, r in enumerate(regions):
        for j, s in enumerate(SETTINGS):
            values[("region", r, s)] = cell("region", r, s)
            if national.cells[i][j] is None:
                hidden.add(("region", r, s))
        values[("region", r, "")] = cell("region", r, "")
        if national.row_totals[i] is None:
            hidden.add(("region", r, ""))
    for j, s in enumerate(SETTINGS):
        values[("nation", "FR", s)] = cell("nation", "FR", s)
        if national.column_totals[j] is None:
            hidden.add(("nation", "FR", s))
    # Each regional table: its establishments × settings, with its own totals shown again.
    for r in regions:
        orgs = orgs_by_region[r]
        table = suppress_small_cells([[cell("organisation", o, s) for s in SETTINGS] for o in orgs])
        for i, o in enumerate(orgs):
            for j, s in enumerate(SETTINGS):
                values[("organisation", o, s)] = cell("organisation", o, s)
                if table.cells[i][j] is None:
                    hidden.add(("organisation", o, s))
        for j, s in enumerate(SETTINGS):
            if table.column_totals[j] is not None:
                hidden.discard(("region", r, s))  # the regional table shows it
    constraints = []
    for s in SETTINGS:
        constraints.append(
            Constraint.total(("nation", "FR", s), [("region", r, s) for r in regions])
        )
        for r in regions:
            constraints.append(
                Constraint.total(
                    ("region", r, s), [("organisation", o, s) for o in orgs_by_region[r]]
                )
            )
    from entrepairs.observatory.disclosure import feasible_intervals

    intervals = feasible_intervals(values, hidden, constraints)
    pinned = {k: i.low for k, i in intervals.items() if i.high - i.low < 1 and values[k]}
    # National "à domicile" 48 minus region 32's 45 (its own table) gives region 11's 3.
    assert pinned.get(("region", "11", HOME)) == pytest.approx(3)
    del keys


def test_primary_suppression_alone_is_caught():
    """Hiding only the small cells of a region = a + b + c leaves the small cell computable."""
    cells = {k: Cell(k, v, 11) for k, v in {"a": 4, "b": 30, "c": 40, "r": 74}.items()}
    constraints = [Constraint.total("r", ["a", "b", "c"])]
    from entrepairs.observatory.disclosure import failures

    assert set(failures(cells, {"a"}, constraints)) == {"a"}
    result = protect(cells, constraints)
    assert result.hidden == {"a", "b"}
    assert failures(cells, result.hidden, constraints) == {}


def test_a_small_cell_is_not_left_provably_small():
    """Two small cells hidden together in a line whose other figures are shown: their sum is
    derivable (7), so each is provably below 11; the protection adds a partner."""
    values = {"a": 3, "b": 4, "c": 50, "r": 57}
    cells = {k: Cell(k, v, 11) for k, v in values.items()}
    constraints = [Constraint.total("r", ["a", "b", "c"])]
    result = protect(cells, constraints)
    assert "c" in result.hidden or "r" in result.hidden


def test_previous_hidden_figures_stay_hidden():
    values = {"a": 30, "b": 30, "c": 40, "r": 100}
    cells = {k: Cell(k, v, 11, hidden=(k == "b")) for k, v in values.items()}
    result = protect(cells, [Constraint.total("r", ["a", "b", "c"])])
    assert "b" in result.hidden and len(result.hidden) >= 2


def test_no_wall_of_secrets_the_big_totals_and_the_zeros_are_published(records):
    """Over-suppression (issue 10): the former choice of partners hid the national totals of
    the year (700 persons, 893 encounters), region 11's total of the first quarter (49
    persons) and dozens of zeros. Partners are now taken at the lowest level, zeros only
    when nothing else is left, and every partner the audit can do without is given back:
    those figures are published, and the attacker still pins nothing."""
    publish_all()
    year, first = Period.year(YEAR), Period.quarter(YEAR, 1)
    for code in ATTACKED:
        national = published.table(code, "nation", year)
        assert [f.hidden for f in national] == [False], f"{code}: national total hidden"
    region_11 = {f.area_code: f for f in published.table("personnes_accompagnees", "region", first)}
    assert not region_11["11"].hidden and region_11["11"].value >= 45
    periods = _published_periods()
    for code in ATTACKED:
        truth = true_values(code, periods)
        hidden_zeros = [
            row
            for row in PublishedFigure.objects.filter(indicator=code, status="hidden")
            if truth[
                (
                    Period(row.period_kind, row.period_start).code,
                    row.level,
                    row.area_code,
                    row.breakdown,
                )
            ]
            == 0
        ]
        assert hidden_zeros == [], f"{code}: zeros hidden {hidden_zeros[:3]}"
        assert_protected(code, truth)
