"""Read API of the published figures, for pages, maps, exports and the API.

Everything here reads ``PublishedFigure`` rows only (already protected by the publishing
step), never the records: each function runs one query whatever the number of areas, so a
page that calls a fixed number of them has a constant query count.

    from entrepairs.observatory import published

    published.catalogue()                         # list of catalogue.Indicator
    published.indicator("personnes_accompagnees")  # one Indicator (KeyError if unknown)
    published.periods()                           # [Period], newest first (quarters and years)
    published.periods("year")                     # years only
    published.latest("year")                      # newest published year, or None
    published.table("personnes_accompagnees", "region", period)
    published.table("pairs", "organisation", period, within=("region", "32"))
    published.table("pairs", "department", period, breakdown="en_poste")
    published.cross("personnes_accompagnees", "region", period)   # every breakdown
    published.series("mieux_compris", "nation", "FR", kind="year")
    published.for_organisation(request.membership, "who5_avant_apres", period)

A ``Figure`` has ``area_code`` (organisation pk as text, département or region INSEE code,
``"FR"``), ``label``, ``breakdown`` (``""`` for the total), ``value`` (the count, or the mean
or proportion for a ratio indicator; ``None`` when hidden or when there is nothing to
average), ``numerator``, ``denominator`` (for a count's breakdown: the shown total, so that
``share`` is the part of the total), and ``flag``: ``"shown"``, ``"rounded"`` (counts rounded
to base 5, setting ``OBSERVATORY_ROUNDING_BASE``), ``"hidden"`` (secret statistique: show
« < 11 » or « secret statistique », never a zero) or ``"empty"`` (a ratio over nobody).

Levels: ``"organisation"``, ``"department"``, ``"region"``, ``"nation"``
(``models.Level``). ``within`` restricts a table to one region or département:
``("region", code)`` or ``("department", code)``.

Inside an organisation the people who hold the records (``CARE_ROLES`` of that organisation:
peers, professionals, coordinators) may read unprotected figures of their own organisation;
everyone else, directors included, reads the protected publication (``for_organisation``).
"""

from __future__ import annotations

from dataclasses import dataclass

from entrepairs.core.roles import CARE_ROLES

from . import catalogue as _catalogue
from .models import Level, Publication, PublishedFigure
from .periods import Period

FIELDS = (
    "period_kind",
    "period_start",
    "area_code",
    "area_label",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "status",
)


@dataclass(frozen=True)
class Figure:
    area_code: str
    label: str
    breakdown: str
    value: float | None
    numerator: float | None
    denominator: int | None
    flag: str
    period: Period | None = None

    @property
    def hidden(self) -> bool:
        return self.flag == "hidden"

    @property
    def share(self) -> float | None:
        """Part of the total (counts' breakdowns) or the proportion itself."""
        if self.value is None or not self.denominator:
            return None
        if self.numerator is not None:
            return self.numerator / self.denominator
        return None


def _figure(row) -> Figure:
    kind, start, code, label, breakdown, value, numerator, denominator, status = row
    flag = status
    if status != PublishedFigure.Status.HIDDEN and value is None:
        flag = "empty"
    return Figure(code, label, breakdown, value, numerator, denominator, flag, Period(kind, start))


def catalogue() -> list[_catalogue.Indicator]:
    return list(_catalogue.INDICATORS)


def indicator(code: str) -> _catalogue.Indicator:
    return _catalogue.get(code)


def periods(kind: str | None = None) -> list[Period]:
    """Published periods, newest first."""
    rows = Publication.objects.order_by("-period_start", "-period_kind")
    if kind:
        rows = rows.filter(period_kind=kind)
    return [Period(k, s) for k, s in rows.values_list("period_kind", "period_start")]


def latest(kind: str = "year") -> Period | None:
    found = periods(kind)
    return found[0] if found else None


def _rows(code, level, within=None):
    rows = PublishedFigure.objects.filter(indicator=code, level=level)
    if within:
        within_level, within_code = within
        field = {Level.REGION: "region_code", Level.DEPARTMENT: "department_code"}[within_level]
        rows = rows.filter(**{field: within_code})
    return rows


def table(code, level, period: Period, within=None, breakdown: str = "") -> list[Figure]:
    """One figure per area of ``level`` for ``period``, ordered by label."""
    rows = _rows(code, level, within).filter(
        period_kind=period.kind, period_start=period.start, breakdown=breakdown
    )
    return [_figure(r) for r in rows.order_by("area_label", "area_code").values_list(*FIELDS)]


def cross(code, level, period: Period, within=None) -> dict[str, dict[str, Figure]]:
    """``{area code: {breakdown: Figure}}`` (total under ``""``), areas ordered by label."""
    rows = _rows(code, level, within).filter(period_kind=period.kind, period_start=period.start)
    out: dict[str, dict[str, Figure]] = {}
    for row in rows.order_by("area_label", "area_code", "breakdown").values_list(*FIELDS):
        figure = _figure(row)
        out.setdefault(figure.area_code, {})[figure.breakdown] = figure
    return out


def series(code, level, area_code, kind: str = "quarter", breakdown: str = "") -> list[Figure]:
    """The figures of one area over every published period of ``kind``, oldest first."""
    rows = PublishedFigure.objects.filter(
        indicator=code, level=level, area_code=area_code, period_kind=kind, breakdown=breakdown
    )
    return [_figure(r) for r in rows.order_by("period_start").values_list(*FIELDS)]


def holds_records(membership, organisation_id) -> bool:
    """True for the people who hold the records of ``organisation_id``."""
    return (
        membership is not None
        and membership.organisation_id == organisation_id
        and membership.role in CARE_ROLES
    )


def for_organisation(membership, code, period: Period) -> dict[str, Figure]:
    """``{breakdown: Figure}`` of the membership's own organisation for ``period``: computed
    from the records (unprotected) for the people who hold them, the protected publication for
    everyone else. The computation reads that organisation's records only
    (``computation.only``), in a number of queries that depends on the indicator alone."""
    organisation_id = membership.organisation_id
    if not holds_records(membership, organisation_id):
        return cross(code, Level.ORGANISATION, period).get(str(organisation_id), {})
    from .computation import Base, only

    ind = indicator(code)
    with only(organisation_id):  # that organisation's rows only, the same number of queries
        base = ind.compute(period)
    out = {}
    for (org, b), item in base.items():
        if org != organisation_id:
            continue
        item = item if isinstance(item, Base) else Base(item)
        if ind.is_ratio:
            n = int(item.denominator or 0)
            value = item.value / n if n else None
            out[b] = Figure(str(org), "", b, value, item.value, n, "shown", period)
        else:
            out[b] = Figure(str(org), "", b, item.value, item.value, None, "shown", period)
    total = out.get("")
    if total is not None and not ind.is_ratio:
        for b, figure in list(out.items()):
            if b:
                out[b] = Figure(
                    figure.area_code,
                    "",
                    b,
                    figure.value,
                    figure.value,
                    int(total.value),
                    "shown",
                    period,
                )
    return out
