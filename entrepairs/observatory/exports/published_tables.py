"""From the published figures (``published.py``) to the neutral ``Table`` the pages and every
export write, and from the catalogue to the definitions.

A figure hidden by disclosure control becomes ``SECRET``, a ratio over nobody (or an area
without a published row) ``NOT_AVAILABLE``. Proportions are published as a part of 1 and
shown as a percentage. Nothing here reads the records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import published
from ..catalogue import PROPORTION, RULES
from ..models import Level, PublishedFigure
from .table import NOT_AVAILABLE, SECRET, Column, Table
from .tabular import Definition

# The article's themes, in the order of the pages (the catalogue's themes grouped).
THEMES = (
    ("effectifs", _("Les pairs et leurs conditions d'emploi"), ("effectifs",)),
    ("missions", _("Les trois missions"), ("accompagnement", "groupes", "institution")),
    ("voix", _("La voix des personnes"), ("evaluation",)),
    ("programmes", _("Les programmes"), ("programmes",)),
)
LEVEL_LABELS = {
    Level.ORGANISATION: _("établissement"),
    Level.DEPARTMENT: _("département"),
    Level.REGION: _("région"),
    Level.NATION: _("France"),
}
SOURCE = _("Entre Pairs, chiffres publiés après contrôle du secret statistique")


def theme_of(indicator) -> str:
    for code, _label, members in THEMES:
        if indicator.theme in members:
            return code
    return THEMES[-1][0]


def unit_of(indicator) -> str:
    return "%" if indicator.kind == PROPORTION else indicator.unit


def cell(figure, indicator):
    """The value a page or a file shows for ``figure`` (``None``: no published row)."""
    if figure is None:
        return NOT_AVAILABLE
    if figure.flag == PublishedFigure.Status.HIDDEN:
        return SECRET
    if figure.value is None:
        return NOT_AVAILABLE
    if indicator.kind == PROPORTION:
        return round(figure.value * 100, 1)
    if indicator.is_ratio:
        return round(figure.value, 1)
    value = float(figure.value)
    return int(value) if value.is_integer() else round(value, 1)


def definition(indicator) -> Definition:
    return Definition(
        code=indicator.code,
        name=indicator.name,
        definition=indicator.definition,
        numerator=indicator.numerator,
        denominator=indicator.denominator,
        unit=unit_of(indicator),
        source=indicator.source,
        levels=", ".join(str(LEVEL_LABELS.get(level, level)) for level in indicator.levels),
        disclosure=RULES.get(indicator.rule, indicator.rule),
        claim=indicator.claim,
    )


def definitions() -> list[Definition]:
    return [definition(indicator) for indicator in published.catalogue()]


def value_columns(indicator) -> list[tuple[str, Column]]:
    """``(breakdown, Column)`` for the total and each breakdown of ``indicator``."""
    kind = "number" if indicator.is_ratio else "integer"
    unit = unit_of(indicator)
    columns = [("", Column("total", _("Ensemble"), kind, unit, indicator.name))]
    for code, label in indicator.breakdowns:
        columns.append((code, Column(code, capfirst(str(label)), kind, unit)))
    if indicator.is_ratio:
        columns.append(
            (
                "__n",
                Column(
                    "effectif",
                    _("Effectif (dénominateur)"),
                    "integer",
                    _("personnes"),
                    indicator.denominator,
                ),
            )
        )
    return columns


def denominator_cell(figures: dict, indicator):
    total = figures.get("")
    if total is None:
        return NOT_AVAILABLE
    if total.flag == PublishedFigure.Status.HIDDEN:
        return SECRET
    return total.denominator if total.denominator is not None else NOT_AVAILABLE


@dataclass(frozen=True)
class Scope:
    """Where a page or an export looks: the area itself and the areas listed under it."""

    level: str
    area_code: str
    label: str
    sublevels: tuple = ()  # ((level, within), ...) listed under the area

    @property
    def slug(self) -> str:
        return f"{self.level}-{self.area_code}".lower()


def indicator_table(indicator, scope: Scope, period, cross_rows: dict[str, dict]) -> Table:
    """One indicator over the scope and the areas under it: a row per area."""
    columns = value_columns(indicator)
    header = [
        Column("niveau", _("Niveau"), "string"),
        Column("code_territoire", _("Code"), "string"),
        Column("territoire", _("Territoire"), "string"),
    ]
    rows = []
    for level, figures_by_area in cross_rows.items():
        for area_code, figures in figures_by_area.items():
            if figures:
                label = next(iter(figures.values())).label
            else:
                label = scope.label if area_code == scope.area_code else area_code
            row = [str(LEVEL_LABELS.get(level, level)), area_code, label]
            for breakdown, _column in columns:
                if breakdown == "__n":
                    row.append(denominator_cell(figures, indicator))
                else:
                    row.append(cell(figures.get(breakdown), indicator))
            rows.append(row)
    return Table(
        code=f"{indicator.code}-{scope.slug}-{period.code}".lower().replace("_", "-"),
        title=indicator.name,
        columns=header + [column for _b, column in columns],
        rows=rows,
        period=period.label,
        source=SOURCE,
        caveats=[indicator.definition],
        footnotes=[_("Règle de diffusion : %(rule)s.") % {"rule": RULES.get(indicator.rule, "")}],
    )


def bulk(level, period, *, within=None, area_code=None) -> dict[str, dict[str, dict]]:
    """``{indicator: {area code: {breakdown: Figure}}}`` of every indicator at ``level`` for
    ``period``, in one query (``published.cross`` reads one indicator at a time)."""
    rows = PublishedFigure.objects.filter(
        level=level, period_kind=period.kind, period_start=period.start
    )
    if within:
        within_level, within_code = within
        field = {Level.REGION: "region_code", Level.DEPARTMENT: "department_code"}[within_level]
        rows = rows.filter(**{field: within_code})
    if area_code is not None:
        rows = rows.filter(area_code=area_code)
    out: dict[str, dict[str, dict]] = {}
    ordered = rows.order_by("indicator", "area_label", "area_code", "breakdown")
    for row in ordered.values_list("indicator", *published.FIELDS):
        figure = published._figure(row[1:])
        out.setdefault(row[0], {}).setdefault(figure.area_code, {})[figure.breakdown] = figure
    return out


def scope_tables(scope: Scope, period, only: str = "") -> list[Table]:
    """Every indicator of the scope for ``period``: the published tables of an export.

    One query for the scope's own level and one per level listed under it, whatever the
    number of indicators or areas.
    """
    own = bulk(scope.level, period, area_code=scope.area_code)
    under = [(level, bulk(level, period, within=within)) for level, within in scope.sublevels]
    tables = []
    for indicator in published.catalogue():
        if scope.level not in indicator.levels or (only and indicator.code != only):
            continue
        per_level = {
            scope.level: {scope.area_code: own.get(indicator.code, {}).get(scope.area_code, {})}
        }
        for level, figures in under:
            if level in indicator.levels:
                per_level[level] = figures.get(indicator.code, {})
        tables.append(indicator_table(indicator, scope, period, per_level))
    return tables
