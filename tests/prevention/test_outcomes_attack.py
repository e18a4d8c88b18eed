"""The attacker of the prevention outcomes (issue 10, points 4–5).

Prevention plans, stays and crisis records with small cells in several establishments,
départements and regions; everything published for a year with its four quarters and the next
quarter. The attack is the adversary test's (``tests/observatory/adversary.py``): linear
programming over every level, breakdown and period published, failing if a hidden figure is
pinned or provably small. Then the page: a director, the ARS and the nation request every
period (the year and its overlapping quarters, adjacent quarters) and must be shown only
published figures (so the attack covers everything they can read), and free ``start`` /
``end`` parameters are ignored.
"""

import datetime
import re

import pytest
from django.test import override_settings

from entrepairs.accompaniment.models import Accompaniment, Consent, ConsentPurpose, Person
from entrepairs.evaluation.models import HospitalStay
from entrepairs.observatory import published, publishing
from entrepairs.observatory.models import PublishedFigure
from entrepairs.observatory.periods import Period
from entrepairs.prevention.models import CrisisRecord
from entrepairs.prevention.views.outcomes import INDICATORS
from tests.accompaniment.factories import body
from tests.factories import DepartmentFactory, OrganisationFactory, RegionFactory
from tests.observatory.test_adversary import YEAR, assert_protected, true_values

from .factories import signed_on

pytestmark = pytest.mark.django_db

D = datetime.timedelta
# The periods published: YEAR's quarters (and YEAR), then the first quarter of YEAR + 1.
QUARTERS = [(YEAR, 1), (YEAR, 2), (YEAR, 3), (YEAR, 4), (YEAR + 1, 1)]
# Persons accompanied on the last day of each quarter: (with a plan signed that quarter,
# without a plan). "a" and "b" are the world's establishments (the director's and the ARS's).
LAYOUT = {
    ("32", "59", "a"): [(14, 12), (3, 15), (12, 2), (16, 11), (12, 13)],
    ("32", "59", "b"): [(12, 4), (13, 12), (2, 14), (11, 13), (3, 12)],
    ("32", "62", "a3"): [(15, 11), (12, 13), (13, 1), (0, 12), (14, 14)],
    ("11", "75", "b1"): [(4, 13), (16, 12), (12, 12), (13, 3), (12, 0)],
    ("44", "67", "c1"): [(13, 14), (11, 2), (15, 13), (12, 12), (1, 12)],
}
RESPECTED = ("fully", "fully", "partly", "not")


def quarter_bounds(year, q):
    start = datetime.date(year, 3 * q - 2, 1)
    end = (datetime.date(year + (q == 4), (3 * q) % 12 + 1, 1)) - D(days=1)
    return start, end


def _person(org, alias, start, end):
    person = Person.objects.create(organisation=org, alias=alias, birth_year=1980)
    Consent.objects.create(
        person=person, purpose=ConsentPurpose.EVALUATION, given=True, means="oral"
    )
    Accompaniment.objects.create(
        person=person, setting=Accompaniment.Setting.CMP, start=start, end=end
    )
    return person


@pytest.fixture
def prevention_records(world):
    regions, departments = {}, {}
    orgs = {"a": world.org_a, "b": world.org_b}
    for region, dept, key in LAYOUT:
        regions.setdefault(region, RegionFactory(code=region, name=f"Région {region}"))
        departments.setdefault(
            dept, DepartmentFactory(code=dept, name=f"Dpt {dept}", region=regions[region])
        )
        if key in orgs:
            type(orgs[key]).objects.filter(pk=orgs[key].pk).update(
                department=departments[dept], region=regions[region]
            )
        else:
            orgs[key] = OrganisationFactory(
                name=f"Établissement {key}",
                department=departments[dept],
                region=regions[region],
            )
    ars = world.memberships["regional_observer"].organisation
    type(ars).objects.filter(pk=ars.pk).update(region=regions["32"])
    for (_r, _d, key), counts in LAYOUT.items():
        org = orgs[key]
        for (year, q), (with_plan, without) in zip(QUARTERS, counts, strict=True):
            start, end = quarter_bounds(year, q)
            middle = start + D(days=40)
            for i in range(without):
                _person(org, f"{key}-{year}{q}-sans{i}", start, end)
            for i in range(with_plan):
                person = _person(org, f"{key}-{year}{q}-avec{i}", start, end)
                plan = signed_on(person, middle)
                # A stay without consent the year before the plan, for everyone.
                HospitalStay.objects.create(
                    organisation=org,
                    person=person,
                    admission=middle - D(days=120),
                    discharge=middle - D(days=110 - i % 5),
                    legal_mode="SDT",
                )
                if i % 2:
                    continue
                # Half of them are admitted again with their plan in force; for two thirds
                # of those a recipient records the plan was consulted in that crisis.
                admission = middle + D(days=10)
                HospitalStay.objects.create(
                    organisation=org,
                    person=person,
                    admission=admission,
                    discharge=admission + D(days=4),
                    legal_mode="SL",
                )
                if i % 3 != 2:
                    CrisisRecord.objects.create(
                        plan=plan,
                        version=plan.versions.get(),
                        crisis_on=admission,
                        respected=RESPECTED[i % 4],
                    )
    return orgs


def publish_all():
    publishing.publish(Period.year(YEAR), indicators=INDICATORS)
    publishing.publish(Period.quarter(YEAR + 1, 1), indicators=INDICATORS)


def test_nothing_published_about_prevention_plans_combines_into_a_small_count(
    prevention_records,
):
    publish_all()
    periods = sorted(set(published.periods()))
    hidden = 0
    for code in INDICATORS:
        hidden += assert_protected(code, true_values(code, periods))
    assert hidden > 10


def test_the_published_figures_are_what_the_records_say(prevention_records):
    publish_all()
    periods = sorted(set(published.periods()))
    truth = true_values("plans_prevention_en_vigueur", periods)
    q1, q4, year = (
        p.code for p in (Period.quarter(YEAR, 1), Period.quarter(YEAR, 4), Period.year(YEAR))
    )
    with_plan = sum(counts[0][0] for counts in LAYOUT.values())
    without = sum(counts[0][1] for counts in LAYOUT.values())
    assert truth[(q1, "nation", "FR", "avec_plan")] == with_plan
    assert truth[(q1, "nation", "FR", "sans_plan")] == without
    # A stock: the year is its fourth quarter.
    assert truth[(year, "nation", "FR", "")] == truth[(q4, "nation", "FR", "")]
    # Every shown figure is the true one.
    shown = PublishedFigure.objects.filter(indicator="plans_prevention_en_vigueur").exclude(
        status="hidden"
    )
    for row in shown:
        key = (
            Period(row.period_kind, row.period_start).code,
            row.level,
            row.area_code,
            row.breakdown,
        )
        assert row.value == truth[key], key
    # Before/after: everyone had 10 to 14 days without consent before, none after.
    base = publishing.compute_family(
        [Period.quarter(YEAR, 1)],
        publishing.Areas(),
        [published.indicator("plans_prevention_contrainte")],
    )["plans_prevention_contrainte"][q1]
    before, after = base[("nation", "FR", "avant")], base[("nation", "FR", "apres")]
    assert after.value == 0 and 10 <= before.value / before.denominator <= 14
    assert before.denominator == with_plan


def _page(client, period, **extra):
    return client.get("/plan-prevention/resultats/", {"period": period.code, **extra})


READERS = {
    "director_a": ("organisation", None),
    "regional_observer": ("region", "32"),
    "national_observer": ("nation", "FR"),
}


def test_readers_outside_the_records_see_only_published_figures_for_every_period(
    world, prevention_records
):
    publish_all()
    periods = sorted(set(published.periods()))
    assert len(periods) == 6  # the year, its four quarters (overlapping it), the next quarter
    shown_counts = 0
    for persona, (level, area) in READERS.items():
        area = area or str(world.org_a.pk)
        client = world.client(persona)
        for period in periods:
            response = _page(client, period)
            assert response.status_code == 200
            assert not response.context["holder"]
            for row in response.context["rows"]:
                code = row["indicator"].code
                stored = {
                    r.breakdown: r
                    for r in PublishedFigure.objects.filter(
                        indicator=code,
                        level=level,
                        area_code=area,
                        period_kind=period.kind,
                        period_start=period.start,
                    )
                }
                assert set(row["figures"]) == set(stored), (persona, code, period)
                for breakdown, figure in row["figures"].items():
                    published_row = stored[breakdown]
                    assert figure.value == published_row.value, (persona, code, breakdown)
                    assert figure.hidden == (published_row.status == "hidden")
                    if not row["indicator"].is_ratio and not figure.hidden:
                        assert figure.value == 0 or figure.value >= 11, (persona, code)
                        shown_counts += 1
    assert shown_counts > 20


def test_without_a_publication_nothing_is_computed_for_them(world, prevention_records):
    publish_all()
    PublishedFigure.objects.filter(indicator__in=INDICATORS).delete()
    for persona in READERS:
        page = body(_page(world.client(persona), Period.quarter(YEAR, 1)))
        assert page.count("Non publié pour cette période") == len(INDICATORS), persona


def test_free_dates_are_ignored_and_an_unknown_period_is_refused(world, prevention_records):
    publish_all()
    q2 = Period.quarter(YEAR, 2)
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    for persona in (*READERS, "coordinator_a"):
        client = world.client(persona)
        plain = csrf.sub("", body(_page(client, q2)))
        # The differencing attack of the issue: two windows one day apart, or any free dates.
        for start, end in (
            (f"{YEAR}-04-01", f"{YEAR}-06-29"),
            (f"{YEAR}-04-02", f"{YEAR}-06-30"),
            ("2000-01-01", "2099-12-31"),
        ):
            shifted = csrf.sub("", body(_page(client, q2, start=start, end=end)))
            assert shifted == plain, (persona, start, end)
    director = world.client("director_a")
    for bad in ("2026-T9", f"{YEAR}-04-01", "x" * 300, f"{YEAR + 5}"):
        response = director.get("/plan-prevention/resultats/", {"period": bad})
        assert response.status_code == 200
        assert "rows" not in response.context
        assert "Sélectionnez un choix valide" in body(response)


def test_the_holders_see_their_own_figures_marked_unprotected(world, prevention_records):
    q2 = Period.quarter(YEAR, 2)
    response = _page(world.client("coordinator_a"), q2)
    assert response.context["holder"]
    page = body(response)
    assert "non protégés" in page and "effectif trop faible" in page
    rows = {r["indicator"].code: r for r in response.context["rows"]}
    in_force = rows["plans_prevention_en_vigueur"]["figures"]
    assert (in_force["avec_plan"].value, in_force["sans_plan"].value) == (3, 15)
    # Nothing of theirs was published by reading it.
    assert not PublishedFigure.objects.exists()


@override_settings(OBSERVATORY_ROUNDING_BASE=5)
def test_rounding_to_base_five_keeps_the_page_readable(world, prevention_records):
    publish_all()
    response = _page(world.client("national_observer"), Period.year(YEAR))
    assert response.status_code == 200
    for row in response.context["rows"]:
        for figure in row["figures"].values():
            if not figure.hidden and not row["indicator"].is_ratio and figure.value:
                assert figure.value % 5 == 0
