"""The publishing step: compute, protect and store every figure of a period.

``publish(period)`` computes each indicator of the catalogue per establishment
(``computation.py``), sums the establishments into départements, regions and the nation,
protects the whole system at once (``disclosure.protect``: every level, every breakdown and
the periods related by sums) and replaces the period's ``PublishedFigure`` rows, in one
transaction. Pages, exports and the API read those rows only (``published.py``).

Which periods are protected together (the "family"):

- a quarter alone while its year is not published (two quarters are related by no equation:
  there are no rolling windows);
- a year with its four quarters: publishing a year revises its quarters (provisional →
  definitive, as INSEE and DREES do) and protects the five periods together (the year is the
  sum of its quarters, or bounded by them for distinct persons, or equal to the fourth quarter
  for a stock counted on the last day).

A figure hidden in an earlier version of a period stays hidden in every later version, so that
reading the provisional and the revised table together reveals nothing more than the revised
one (the shown figures of the new version are a subset of the old).

``refresh()`` publishes every ended period not yet published; it is what the django-tasks task
``refresh_published_figures`` and ``manage.py publish_figures`` run.
"""

from __future__ import annotations

import time
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from entrepairs.accompaniment.models import Person
from entrepairs.accounts.models import Membership
from entrepairs.programmes.models import Programme
from entrepairs.territory.models import Department, Organisation, Region
from entrepairs.workforce.models.peers import PeerWorker

from . import catalogue
from .catalogue import DISTINCT, FLOW, OVERLAP, PARTITION, SHARED, STOCK
from .computation import Base
from .disclosure import Cell, Constraint, protect
from .models import Level, Publication, PublishedFigure
from .periods import QUARTER, YEAR, Period, ended_periods

OBSERVER_KINDS = (Organisation.Kind.ARS, Organisation.Kind.NATIONAL_OBSERVATORY)
NATION = "FR"


class Areas:
    """The hierarchy: establishments → départements → regions → nation."""

    def __init__(self):
        # Participating organisations only: an establishment of the SAE that does not use
        # Entre Pairs has no figure (absent, not zero).
        participating = Organisation.objects.exclude(kind__in=OBSERVER_KINDS).filter(
            Exists(Membership.objects.filter(organisation_id=OuterRef("pk")))
            | Exists(PeerWorker.objects.filter(employer_id=OuterRef("pk")))
            | Exists(PeerWorker.objects.filter(host_organisation_id=OuterRef("pk")))
            | Exists(Person.objects.filter(organisation_id=OuterRef("pk")))
            | Exists(Programme.objects.filter(organisation_id=OuterRef("pk")))
        )
        self.organisations = [
            (str(pk), name, dept or "", region or "")
            for pk, name, dept, region in participating.order_by("pk").values_list(
                "pk", "name", "department__code", "region__code"
            )
        ]
        self.departments = list(
            Department.objects.order_by("code").values_list("code", "name", "region__code")
        )
        self.regions = list(Region.objects.order_by("code").values_list("code", "name"))

    def rows(self):
        """(level, code, label, region code, département code) of every published area."""
        for code, name, dept, region in self.organisations:
            yield Level.ORGANISATION, code, name, region, dept
        for code, name, region in self.departments:
            yield Level.DEPARTMENT, code, f"{name} ({code})", region, code
        for code, name in self.regions:
            yield Level.REGION, code, f"{name} ({code})", code, ""
        yield Level.NATION, NATION, "France", "", ""

    def members(self):
        """``{(level, code): [organisation codes]}``."""
        out = defaultdict(list)
        for code, _name, dept, region in self.organisations:
            out[(Level.ORGANISATION, code)].append(code)
            if dept:
                out[(Level.DEPARTMENT, dept)].append(code)
            if region:
                out[(Level.REGION, region)].append(code)
            out[(Level.NATION, NATION)].append(code)
        return out


def family(period: Period) -> list[Period]:
    """The periods published (and protected) together with ``period``."""
    year = Period.year(period.start.year)
    if (
        period.kind == YEAR
        or Publication.objects.filter(period_kind=YEAR, period_start=year.start).exists()
    ):
        return year.family()
    return [period]


def _breakdowns(indicator, base: dict) -> list[str]:
    codes = [code for code, _label in indicator.breakdowns]
    extra = sorted({b for (_org, b) in base if b and b not in codes})
    return ["", *codes, *extra]


def _aggregate(base: dict, members: dict, breakdowns) -> dict:
    """``{(level, area, breakdown): Base}`` for every area."""
    out = {}
    for (level, area), orgs in members.items():
        for b in breakdowns:
            total = Base(0, None)
            for org in orgs:
                item = base.get((int(org), b))
                if item is not None:
                    total = total + item
            out[(level, area, b)] = total
    return out


def _protected_breakdowns(indicator, breakdowns):
    """Breakdowns whose figures are cells of the protected system (the others follow the
    total)."""
    if indicator.is_ratio and indicator.breakdown_relation == SHARED:
        return [""]
    return breakdowns


def _cell_value(indicator, item: Base) -> int:
    return int(item.denominator or 0) if indicator.is_ratio else int(round(item.value))


def _constraints(indicator, cells: dict, members: dict, periods, breakdowns):
    """Every equation and inequality an attacker knows between the figures ``cells``.

    In the sums of establishments, an establishment's figure that is zero and shown is left
    out (it adds nothing); a hidden zero is left out too, which only gives the audit an
    attacker who knows more than the real one (stricter, never weaker)."""
    constraints = []
    for period in periods:
        p = period.code
        for b in breakdowns:
            for (level, area), orgs in members.items():
                if level == Level.ORGANISATION:
                    continue
                total = (p, level, area, b)
                parts = [
                    key
                    for o in orgs
                    if (key := (p, Level.ORGANISATION, o, b)) in cells and cells[key].value
                ]
                constraints.append(Constraint.total(total, parts))
        if len(breakdowns) > 1:
            for level, area in members:
                total = (p, level, area, "")
                parts = [(p, level, area, b) for b in breakdowns[1:]]
                if indicator.breakdown_relation == PARTITION:
                    constraints.append(Constraint.total(total, parts))
                elif indicator.breakdown_relation == OVERLAP:
                    constraints.append(Constraint.at_most_sum(total, parts))
                    constraints += [Constraint.at_least(total, part) for part in parts]
    years = [p for p in periods if p.kind == YEAR]
    for year in years:
        quarters = [q.code for q in year.quarters()]
        if not all(any(q == p.code for p in periods) for q in quarters):
            continue
        for level, area in members:
            for b in breakdowns:
                total = (year.code, level, area, b)
                parts = [(q, level, area, b) for q in quarters]
                if indicator.period_relation == FLOW:
                    constraints.append(Constraint.total(total, parts))
                elif indicator.period_relation == DISTINCT:
                    constraints.append(Constraint.at_most_sum(total, parts))
                    constraints += [Constraint.at_least(total, part) for part in parts]
                elif indicator.period_relation == STOCK:
                    constraints.append(Constraint.total(total, parts[-1:]))
    return [c for c in constraints if all(k in cells for k, _ in c.coeffs)]


LEVEL_RANKS = {Level.ORGANISATION: 0, Level.DEPARTMENT: 1, Level.REGION: 2, Level.NATION: 3}
GIVE_BACK_RANK = 4  # département and above (``_rank``)


def _rank(period: Period, level, breakdown: str) -> int:
    """The cost of hiding a figure (``Cell.rank``): the level first (an establishment's figure
    before its département's, its region's or the nation's), then a quarter before its year,
    then a breakdown before its total."""
    return 4 * LEVEL_RANKS[level] + 2 * (period.kind == YEAR) + (breakdown == "")


def _round(value, base):
    return int(base * round(value / base))


def compute_family(periods, areas: Areas, indicators=None) -> dict:
    """``{indicator code: {period code: {(level, area, breakdown): Base}}}``, unprotected."""
    members = areas.members()
    out = {}
    for indicator in indicators or catalogue.INDICATORS:
        out[indicator.code] = {}
        bases = {}
        for period in sorted(periods, key=lambda p: (p.kind == YEAR, p.start)):
            base = _derived_year(indicator, period, bases)
            if base is None:
                base = indicator.compute(period)
            bases[period.code] = base
            breakdowns = _breakdowns(indicator, base)
            out[indicator.code][period.code] = _aggregate(base, members, breakdowns)
    return out


def _derived_year(indicator, period, bases):
    """A year's base figures from its quarters' when the catalogue says how they relate and
    the computation makes it exact: the sum of the quarters for a flow (events of the period),
    the fourth quarter for a stock (counted on the last day, 31 December for both). Saves the
    year's queries, the largest of the family; distinct persons are computed (None)."""
    if period.kind != YEAR or indicator.period_relation not in (FLOW, STOCK):
        return None
    quarters = [q.code for q in period.quarters()]
    if not all(q in bases for q in quarters):
        return None
    if indicator.period_relation == STOCK:
        return dict(bases[quarters[-1]])
    total = {}
    for q in quarters:
        for key, item in bases[q].items():
            total[key] = total[key] + item if key in total else item
    return total


def protect_family(figures: dict, periods, areas: Areas, previously_hidden=frozenset()) -> dict:
    """``{indicator code: set of hidden (period, level, area, breakdown)}``."""
    members = areas.members()
    hidden = {}
    for code, by_period in figures.items():
        indicator = catalogue.get(code)
        threshold = indicator.threshold
        breakdowns = sorted(
            {b for figs in by_period.values() for (_l, _a, b) in figs}, key=lambda b: (b != "", b)
        )
        protected = _protected_breakdowns(indicator, breakdowns)
        cells = {}
        for period in periods:
            for (level, area, b), item in by_period[period.code].items():
                if b not in protected:
                    continue
                key = (period.code, level, area, b)
                cells[key] = Cell(
                    key,
                    _cell_value(indicator, item),
                    threshold,
                    hidden=(code, *key) in previously_hidden,
                    rank=_rank(period, level, b),
                )
        if not threshold:
            hidden[code] = set()
            continue
        constraints = _constraints(indicator, cells, members, periods, protected)
        # Give back the partners above the establishments (the totals read on the national and
        # regional pages): their number does not grow with the establishments.
        hidden[code] = protect(cells, constraints, give_back_rank=GIVE_BACK_RANK).hidden
    return hidden


def _rows(figures, hidden, periods, areas: Areas, publications):
    base = settings.OBSERVATORY_ROUNDING_BASE
    labels = {(level, code): (label, r, d) for level, code, label, r, d in areas.rows()}
    rows = []
    for code, by_period in figures.items():
        indicator = catalogue.get(code)
        rounding = base if indicator.rule in (catalogue.PERSONS, catalogue.PERSON_MEAN) else None
        shared = indicator.is_ratio and indicator.breakdown_relation == SHARED
        for period in periods:
            figs = by_period[period.code]
            for (level, area, b), item in figs.items():
                key = (period.code, level, area, b if not shared else "")
                label, region, dept = labels[(level, area)]
                row = PublishedFigure(
                    publication=publications[period.code],
                    period_kind=period.kind,
                    period_start=period.start,
                    level=level,
                    area_code=area,
                    area_label=label,
                    region_code=region,
                    department_code=dept,
                    indicator=code,
                    breakdown=b,
                )
                if key in hidden[code]:
                    row.status = PublishedFigure.Status.HIDDEN
                elif indicator.is_ratio:
                    n = int(item.denominator or 0)
                    row.value = item.value / n if n else None
                    row.numerator, row.denominator = (item.value, n)
                    row.status = PublishedFigure.Status.SHOWN
                    if rounding and n:
                        row.numerator, row.denominator = None, _round(n, rounding)
                        row.status = PublishedFigure.Status.ROUNDED
                else:
                    value = int(round(item.value))
                    total = figs.get((level, area, ""))
                    total_hidden = (period.code, level, area, "") in hidden[code]
                    row.value = row.numerator = value
                    row.denominator = None if not b or total_hidden else int(round(total.value))
                    row.status = PublishedFigure.Status.SHOWN
                    if rounding and value:
                        row.value = row.numerator = _round(value, rounding)
                        row.denominator = (
                            None if row.denominator is None else _round(row.denominator, rounding)
                        )
                        row.status = PublishedFigure.Status.ROUNDED
                rows.append(row)
    return rows


def publish(period: Period, *, indicators=None) -> list[Publication]:
    """Compute, protect and store the figures of ``period`` and of the periods published with
    it (see the module docstring). Returns the publications written."""
    started = time.monotonic()
    periods = family(period)
    areas = Areas()
    chosen = [catalogue.get(c) for c in indicators] if indicators else None
    figures = compute_family(periods, areas, chosen)
    previously_hidden = {
        (ind, Period(kind, start).code, level, area, b)
        for ind, kind, start, level, area, b in PublishedFigure.objects.filter(
            status=PublishedFigure.Status.HIDDEN,
            period_start__in=[p.start for p in periods],
        ).values_list("indicator", "period_kind", "period_start", "level", "area_code", "breakdown")
        if any(p.kind == kind and p.start == start for p in periods)
    }
    hidden = protect_family(figures, periods, areas, previously_hidden)
    with transaction.atomic():
        publications = {}
        for p in periods:
            publication, _created = Publication.objects.update_or_create(
                period_kind=p.kind, period_start=p.start, defaults={}
            )
            publications[p.code] = publication
            rows = PublishedFigure.objects.filter(period_kind=p.kind, period_start=p.start)
            if chosen:
                rows = rows.filter(indicator__in=[i.code for i in chosen])
            rows.delete()
        rows = _rows(figures, hidden, periods, areas, publications)
        PublishedFigure.objects.bulk_create(rows, batch_size=5000)
        elapsed = time.monotonic() - started
        for p in periods:
            mine = [r for r in rows if r.period_kind == p.kind and r.period_start == p.start]
            publication = publications[p.code]
            publication.figures = len(mine)
            publication.hidden = sum(1 for r in mine if r.status == PublishedFigure.Status.HIDDEN)
            publication.seconds = elapsed
            publication.published_at = timezone.now()
            publication.save(update_fields=["figures", "hidden", "seconds", "published_at"])
    return list(publications.values())


def refresh(today=None, *, force=False) -> list[str]:
    """Publish every ended period since ``settings.OBSERVATORY_FIRST_YEAR`` that is not yet
    published (every one with ``force``). Returns the codes of the periods published."""
    today = today or timezone.localdate()
    done = {
        Period(kind, start).code
        for kind, start in Publication.objects.values_list("period_kind", "period_start")
    }
    published = []
    for period in ended_periods(settings.OBSERVATORY_FIRST_YEAR, today):
        if period.code in published or (period.code in done and not force):
            continue
        if period.kind == QUARTER and Period.year(period.start.year).is_over(today):
            continue  # published with its year
        published += [p.code for p in family(period) if p.code not in published]
        publish(period)
    return published
