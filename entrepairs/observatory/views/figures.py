"""What the observatory pages and exports share: the scope asked for, the period chosen, and
the published figures of a scope laid out by theme.

Only fixed calendar periods that have been published can be chosen (``?periode=2025`` or
``?periode=2025-T2``); anything else gives a French message and the latest year. Every reader
of a scope goes through ``observatory.access`` (a regional observer never gets another
region, a manager only their organisation).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from entrepairs.core.roles import Role

from .. import published
from ..access import get_department_for, get_region_for
from ..catalogue import PERSONS, STAFF_ATTRIBUTE
from ..exports.published_tables import (
    THEMES,
    Scope,
    bulk,
    cell,
    denominator_cell,
    theme_of,
    unit_of,
)
from ..exports.table import NOT_AVAILABLE, SECRET, Withheld, display_value
from ..models import Level
from ..periods import Period

SCOPES = ("national", "regional", "departement", "etablissement")


# -- scope --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageScope:
    """A scope as the pages name it: ``kind`` (one of ``SCOPES``) and its URL arguments."""

    kind: str
    scope: Scope
    url_kwargs: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    region_code: str = ""

    def url(self, name: str = "", period: Period | None = None, **kwargs) -> str:
        """URL of this scope's page ``name`` ("", "_indicator", "_xlsx"…), keeping its query
        (the region asked for) and the period."""
        path = reverse(f"observatory:{self.kind}{name}", kwargs={**self.url_kwargs, **kwargs})
        query = dict(self.query)
        if period is not None:
            query["periode"] = period.code
        return f"{path}?{urlencode(query)}" if query else path

    def links(self, period: Period | None) -> dict:
        """The scope's pages and files for ``period`` (what the templates link to)."""
        links = {"dashboard": self.url(period=period), "base": self.url()}
        if period is not None:
            links["xlsx"] = self.url("_xlsx", period)
            if self.kind != "departement":
                year = Period.year(period.start.year)
                links["pdf"] = self.url("_pdf", year)
                links["pdf_year"] = year
            if self.kind == "national":
                links["open_data"] = self.url("_open_data", period)
        return links

    @property
    def title(self) -> str:
        return {
            "national": _("France entière"),
            "regional": _("Région %(name)s"),
            "departement": _("Département %(name)s"),
            "etablissement": "%(name)s",
        }[self.kind] % {"name": self.scope.label}


def resolve_scope(request, kind: str, code: str = "") -> PageScope:
    """The scope of ``kind`` the current membership may read (404 otherwise)."""
    membership = request.membership
    if kind == "national":
        return PageScope(
            kind, Scope(Level.NATION, "FR", _("France"), ((Level.REGION, None),)), {}, {}
        )
    if kind == "regional":
        asked = request.GET.get("region", "").strip()[:3]
        region = get_region_for(request, asked)
        query = {"region": region.code} if membership.role != Role.REGIONAL_OBSERVER else {}
        within = (Level.REGION, region.code)
        return PageScope(
            kind,
            Scope(
                Level.REGION,
                region.code,
                region.name,
                ((Level.DEPARTMENT, within), (Level.ORGANISATION, within)),
            ),
            {},
            query,
            region.code,
        )
    if kind == "departement":
        department = get_department_for(request, code)
        return PageScope(
            kind,
            Scope(
                Level.DEPARTMENT,
                department.code,
                department.name,
                ((Level.ORGANISATION, (Level.DEPARTMENT, department.code)),),
            ),
            {"code": department.code},
            {},
            department.region.code,
        )
    if kind == "etablissement":
        organisation = membership.organisation
        return PageScope(
            kind, Scope(Level.ORGANISATION, str(organisation.pk), organisation.name), {}, {}
        )
    raise ValueError(kind)


# -- period -------------------------------------------------------------------------------


@dataclass
class PeriodChoice:
    period: Period | None
    error: str
    years: list[Period]
    quarters: list[Period]


def choose_period(request, *, years_only=False) -> PeriodChoice:
    """The published period asked for in ``?periode=`` (the latest year by default)."""
    available = published.periods()
    years = [p for p in available if p.kind == "year"]
    quarters = [p for p in available if p.kind == "quarter"]
    default = (years or ([] if years_only else quarters) or [None])[0]
    raw = request.GET.get("periode", "").strip()
    if not raw:
        return PeriodChoice(default, "", years, quarters)
    try:
        asked = Period.parse(raw)
    except ValueError as error:
        return PeriodChoice(default, str(error), years, quarters)
    if asked not in available or (years_only and asked.kind != "year"):
        message = _("La période « %(code)s » n'est pas publiée.") % {"code": asked.code}
        if years_only and asked.kind != "year":
            message = _("Le rapport annuel porte sur une année (par exemple 2025).")
        return PeriodChoice(default, message, years, quarters)
    return PeriodChoice(asked, "", years, quarters)


# -- figures laid out by theme ------------------------------------------------------------


@dataclass
class Figure:
    label: str
    value: object
    text: str
    hidden: bool
    missing: bool


@dataclass
class IndicatorCard:
    indicator: object
    unit: str
    headline: Figure
    breakdowns: list[Figure]
    denominator: object
    hidden_reason: str
    unprotected: bool = False
    url: str = ""
    csv_url: str = ""


@dataclass
class Theme:
    code: str
    title: str
    cards: list[IndicatorCard]


def hidden_reason(indicator) -> str:
    """Why a figure of ``indicator`` may be hidden, in words."""
    threshold = indicator.threshold
    if indicator.rule == STAFF_ATTRIBUTE:
        return _(
            "Masqué : moins de %(n)s pairs, ou masqué pour qu'aucune autre case ne puisse être "
            "recalculée."
        ) % {"n": threshold}
    if indicator.rule == PERSONS or indicator.is_ratio:
        return _(
            "Masqué : moins de %(n)s personnes, ou masqué pour qu'aucune autre case ne puisse "
            "être recalculée."
        ) % {"n": threshold}
    return str(SECRET.explanation)


def figure_text(value, unit: str) -> str:
    if isinstance(value, Withheld):
        return str(value.label)
    text = display_value(value)
    if unit == "%":
        return f"{text}\u202f%"
    return f"{text} {unit}".strip()


def make_figure(label, value, unit) -> Figure:
    return Figure(
        label=label,
        value=value,
        text=figure_text(value, unit),
        hidden=value == SECRET,
        missing=value == NOT_AVAILABLE,
    )


def _detail(unit: str) -> str:
    return unit if unit == "%" else ""


def card(indicator, figures: dict, unprotected=False) -> IndicatorCard:
    unit = unit_of(indicator)
    return IndicatorCard(
        indicator=indicator,
        unit=unit,
        headline=make_figure(_("Ensemble"), cell(figures.get(""), indicator), unit),
        # The unit is said once, by the headline: the detail gives numbers (or percentages).
        breakdowns=[
            make_figure(capfirst(str(label)), cell(figures.get(code), indicator), _detail(unit))
            for code, label in indicator.breakdowns
        ],
        denominator=denominator_cell(figures, indicator) if indicator.is_ratio else None,
        hidden_reason=hidden_reason(indicator),
        unprotected=unprotected,
    )


def themes_of(page_scope: PageScope, period: Period, membership) -> list[Theme]:
    """Every indicator of the scope, grouped by the article's themes (one query, or one per
    indicator for the people who hold the records of their organisation)."""
    scope = page_scope.scope
    unprotected = page_scope.kind == "etablissement" and published.holds_records(
        membership, membership.organisation_id
    )
    own = {} if unprotected else bulk(scope.level, period, area_code=scope.area_code)
    grouped = {code: [] for code, _title, _members in THEMES}
    for indicator in published.catalogue():
        if scope.level not in indicator.levels:
            continue
        if unprotected:
            figures = published.for_organisation(membership, indicator.code, period)
        else:
            figures = own.get(indicator.code, {}).get(scope.area_code, {})
        grouped[theme_of(indicator)].append(card(indicator, figures, unprotected))
    return [Theme(code, str(title), grouped[code]) for code, title, _m in THEMES if grouped[code]]
