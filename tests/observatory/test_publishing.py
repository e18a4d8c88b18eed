"""Catalogue, documentation, read API, refresh entry points and the records holders' view."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from entrepairs.accompaniment.models import Accompaniment, Encounter, Person
from entrepairs.observatory import catalogue, published, publishing
from entrepairs.observatory.models import Publication, PublishedFigure
from entrepairs.observatory.periods import Period
from entrepairs.observatory.tasks import refresh_published_figures
from tests.factories import OrganisationFactory, PeerWorkerFactory

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


def test_docs_are_generated_from_the_catalogue(settings):
    doc = (settings.BASE_DIR / "docs" / "indicateurs.md").read_text(encoding="utf-8")
    assert doc == catalogue.markdown(), "run: python manage.py write_indicator_docs"


def test_every_indicator_is_fully_defined():
    codes = [i.code for i in catalogue.INDICATORS]
    assert len(codes) == len(set(codes))
    for i in catalogue.INDICATORS:
        assert i.name and i.definition and i.numerator and i.denominator and i.unit
        assert i.source and i.claim and i.levels and callable(i.compute)
        assert i.rule in catalogue.RULES
        assert i.rule != catalogue.PERSON_MEAN or i.is_ratio


def test_periods_are_fixed_calendar_periods():
    assert Period.parse("2026-T2").start == datetime.date(2026, 4, 1)
    assert Period.parse("2026-T2").end == datetime.date(2026, 6, 30)
    assert Period.parse("2025").end == datetime.date(2025, 12, 31)
    for bad in ("2026-T5", "2026-05-01", "", "abc", "9" * 40):
        with pytest.raises(ValueError):
            Period.parse(bad)
    with pytest.raises(ValueError):
        Period("quarter", datetime.date(2026, 2, 1))  # no rolling start


def accompany(org, peer, n, day, setting=Accompaniment.Setting.CMP):
    for i in range(n):
        person = Person.objects.create(organisation=org, alias=f"X{i}{day}", birth_year=1990)
        acc = Accompaniment.objects.create(person=person, setting=setting, start=day)
        Encounter.objects.create(
            accompaniment=acc,
            peer=peer,
            date=day,
            duration_minutes=30,
            mode=Encounter.Mode.IN_PERSON,
        )


@override_settings(OBSERVATORY_FIRST_YEAR=LAST_YEAR)
def test_refresh_task_publishes_ended_periods_once(world):
    accompany(world.org_a, world.peer("peer_a"), 3, datetime.date(LAST_YEAR, 2, 10))
    accompany(world.org_b, world.peer("peer_b"), 14, datetime.date(LAST_YEAR, 2, 10))
    codes = refresh_published_figures.call()
    assert str(LAST_YEAR) in codes and f"{LAST_YEAR}-T1" in codes
    assert Publication.objects.filter(period_start=datetime.date(LAST_YEAR, 1, 1)).count() == 2
    assert refresh_published_figures.call() == []  # nothing new: nothing republished
    year = Period.year(LAST_YEAR)
    rows = {f.area_code: f for f in published.table("personnes_accompagnees", "organisation", year)}
    assert rows[str(world.org_a.pk)].hidden and rows[str(world.org_a.pk)].value is None
    assert rows[str(world.org_b.pk)].hidden  # secondary: the region would give org_a back
    # Hidden rows keep no value in the database either.
    assert not PublishedFigure.objects.filter(status="hidden").exclude(value=None).exists()


def test_command_refuses_an_unfinished_period(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("publish_figures", period=str(timezone.localdate().year))
    with pytest.raises(CommandError):
        call_command("publish_figures", period="2026-05-01")


@override_settings(OBSERVATORY_FIRST_YEAR=LAST_YEAR)
def test_read_api_has_a_constant_query_count(world):
    day = datetime.date(LAST_YEAR, 5, 10)
    accompany(world.org_a, world.peer("peer_a"), 12, day)
    publishing.publish(Period.year(LAST_YEAR), indicators=["personnes_accompagnees"])
    year = published.latest("year")
    assert year == Period.year(LAST_YEAR)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            published.table("personnes_accompagnees", "organisation", year)
            published.cross("personnes_accompagnees", "region", year)
            published.series("personnes_accompagnees", "nation", "FR")
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(6):
        org = OrganisationFactory(department=world.org_a.department)
        accompany(org, PeerWorkerFactory(employer=org), 12, day)
    publishing.publish(Period.year(LAST_YEAR), indicators=["personnes_accompagnees"])
    assert len(published.table("personnes_accompagnees", "organisation", year)) >= 7
    assert queries() == few == 3


@override_settings(OBSERVATORY_FIRST_YEAR=LAST_YEAR)
def test_records_holders_see_unprotected_figures_directors_protected_ones(world):
    day = datetime.date(LAST_YEAR, 5, 10)
    accompany(world.org_a, world.peer("peer_a"), 3, day)
    accompany(world.org_b, world.peer("peer_b"), 30, day)
    year = Period.year(LAST_YEAR)
    publishing.publish(year, indicators=["personnes_accompagnees"])
    coordinator = world.membership("coordinator_a")
    director = world.membership("director_a")
    assert published.for_organisation(coordinator, "personnes_accompagnees", year)[""].value == 3
    figure = published.for_organisation(director, "personnes_accompagnees", year)[""]
    assert figure.hidden and figure.value is None


@override_settings(OBSERVATORY_FIRST_YEAR=LAST_YEAR)
def test_computing_one_organisation_gives_its_figures_of_the_whole_computation(world):
    """``computation.only`` restricts every indicator to one organisation: the same figures
    as the whole computation for that organisation, no key of another one."""
    from entrepairs.observatory.computation import only

    day = datetime.date(LAST_YEAR, 5, 10)
    accompany(world.org_a, world.peer("peer_a"), 12, day)
    accompany(world.org_b, world.peer("peer_b"), 14, day, Accompaniment.Setting.HOME)
    for period in (Period.year(LAST_YEAR), Period.quarter(LAST_YEAR, 2)):
        for ind in catalogue.INDICATORS:
            everything = ind.compute(period)
            with only(world.org_a.pk):
                mine = ind.compute(period)
            assert {k[0] for k in mine} <= {world.org_a.pk}, ind.code
            assert mine == {k: v for k, v in everything.items() if k[0] == world.org_a.pk}, ind.code


@override_settings(OBSERVATORY_FIRST_YEAR=LAST_YEAR)
def test_records_holders_figures_read_their_organisation_only(world):
    """``for_organisation`` for the people who hold the records computes their organisation
    only: a constant number of queries, each restricted to that organisation (no query reads
    the encounters of the nation), whatever the number of other establishments."""
    day = datetime.date(LAST_YEAR, 5, 10)
    accompany(world.org_a, world.peer("peer_a"), 12, day)
    year = Period.year(LAST_YEAR)
    coordinator = world.membership("coordinator_a")

    def run():
        with CaptureQueriesContext(connection) as ctx:
            figures = published.for_organisation(coordinator, "personnes_accompagnees", year)
        return figures, ctx.captured_queries

    figures, few = run()
    assert figures[""].value == 12
    for _ in range(4):
        org = OrganisationFactory(department=world.org_a.department)
        accompany(org, PeerWorkerFactory(employer=org), 20, day)
    figures, many = run()
    assert figures[""].value == 12 and set(figures) == {"", Accompaniment.Setting.CMP}
    assert len(many) == len(few) == 2
    for query in many:
        assert '"organisation_id" = ' in query["sql"] or "organisation_id = " in query["sql"], (
            query["sql"]
        )


@override_settings(OBSERVATORY_FIRST_YEAR=LAST_YEAR)
def test_a_year_derived_from_its_quarters_equals_the_year_computed(world):
    """The publishing step takes a flow's year as the sum of its quarters and a stock's as its
    fourth quarter (one computation saved per indicator): for every such indicator of the
    catalogue, that is exactly the year computed from the records."""
    for q, (n, setting) in enumerate(((12, "cmp"), (3, "home"), (0, "cmp"), (7, "community"))):
        day = datetime.date(LAST_YEAR, 3 * q + 2, 10)
        accompany(world.org_a, world.peer("peer_a"), n, day, setting)
        accompany(world.org_b, world.peer("peer_b"), n + 5, day)
    year = Period.year(LAST_YEAR)
    checked = 0
    for ind in catalogue.INDICATORS:
        bases = {q.code: ind.compute(q) for q in year.quarters()}
        derived = publishing._derived_year(ind, year, bases)
        if ind.period_relation == catalogue.DISTINCT:
            assert derived is None, ind.code
            continue
        computed = ind.compute(year)
        assert derived == computed, ind.code
        checked += bool(computed)
    assert checked >= 2  # encounters by nature and by mode
