"""Observatory pages: a dashboard per scope (France, region, département, establishment),
one page per indicator (time series, breakdown, areas under the scope, maps) and the public
"Définitions" page generated from the catalogue.

They read published figures only (already protected), never a person row: no AccessEvent is
written for a page (there is no personal data to trace, see core/audit.py); exports are logged
(``views/exports.py``). The number of queries of a page does not depend on the data size.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from entrepairs.core.access import public, roles_required
from entrepairs.territory.models import Region

from .. import published
from ..access import (
    DEPARTMENT_READERS,
    ESTABLISHMENT_READERS,
    NATIONAL_READERS,
    REGIONAL_READERS,
)
from ..catalogue import RULES
from ..charts import Point, series_chart
from ..exports.published_tables import (
    LEVEL_LABELS,
    THEMES,
    cell,
    definition,
    theme_of,
    unit_of,
)
from ..maps import choropleth, legend_swatch
from ..models import Level
from .figures import card, choose_period, figure_text, resolve_scope, themes_of


def _base_context(request, page_scope, choice):
    return {
        "page_scope": page_scope,
        "links": page_scope.links(choice.period),
        "choice": choice,
        "period": choice.period,
        "regions": list(Region.objects.order_by("code"))
        if page_scope.kind == "regional" and page_scope.query
        else None,
    }


def _dashboard(request, kind, code=""):
    page_scope = resolve_scope(request, kind, code)
    choice = choose_period(request)
    context = _base_context(request, page_scope, choice)
    if choice.period is not None:
        themes = themes_of(page_scope, choice.period, request.membership)
        for theme in themes:
            for item in theme.cards:
                item.url = page_scope.url(
                    "_indicator", choice.period, indicator=item.indicator.code
                )
                item.csv_url = page_scope.url("_csv", choice.period, indicator=item.indicator.code)
        context["themes"] = themes
    return render(request, "observatory/dashboard.html", context)


@roles_required(NATIONAL_READERS)
def national(request):
    return _dashboard(request, "national")


@roles_required(REGIONAL_READERS)
def regional(request):
    if request.membership.role != "regional_observer" and not request.GET.get("region"):
        return render(
            request,
            "observatory/choose_region.html",
            {"regions": list(Region.objects.order_by("code"))},
        )
    return _dashboard(request, "regional")


@roles_required(DEPARTMENT_READERS)
def departement(request, code):
    return _dashboard(request, "departement", code)


@roles_required(ESTABLISHMENT_READERS)
def etablissement(request):
    return _dashboard(request, "etablissement")


# -- one indicator ------------------------------------------------------------------------


def _indicator_page(request, kind, indicator_code, code=""):
    try:
        indicator = published.indicator(indicator_code)
    except KeyError:
        raise Http404 from None
    page_scope = resolve_scope(request, kind, code)
    scope = page_scope.scope
    if scope.level not in indicator.levels:
        raise Http404
    choice = choose_period(request)
    context = _base_context(request, page_scope, choice)
    unit = unit_of(indicator)
    context.update(indicator=indicator, unit=unit, definition=definition(indicator))
    period = choice.period
    if period is None:
        return render(request, "observatory/indicator.html", context)
    membership = request.membership
    unprotected = kind == "etablissement" and published.holds_records(
        membership, membership.organisation_id
    )
    if unprotected:
        own = published.for_organisation(membership, indicator.code, period)
    else:
        own = published.cross(indicator.code, scope.level, period).get(scope.area_code, {})
    context["card"] = card(indicator, own, unprotected)
    context["csv_url"] = page_scope.url("_csv", period, indicator=indicator.code)

    # Time series of the scope over the periods of the chosen kind (published figures).
    series = published.series(indicator.code, scope.level, scope.area_code, kind=period.kind)
    points = [Point(f.period.code, cell(f, indicator)) for f in series if f.period]
    context["points"] = [(p.label, figure_text(p.value, unit), p.value) for p in points]
    context["chart"] = series_chart(
        points,
        _("%(name)s, %(scope)s, par %(kind)s")
        % {
            "name": indicator.name,
            "scope": page_scope.scope.label,
            "kind": _("trimestre") if period.kind == "quarter" else _("année"),
        },
        unit,
        kind="line" if indicator.is_ratio else "bar",
        dom_id="serie",
    )

    # Areas under the scope, and their maps.
    areas = []
    for level, within in scope.sublevels:
        if level not in indicator.levels:
            continue
        rows = published.cross(indicator.code, level, period, within=within)
        cards = {code: card(indicator, figures) for code, figures in rows.items()}
        for area_code, item in cards.items():
            item.url = _area_url(level, area_code, indicator.code, period)
        areas.append(
            {
                "level": level,
                "title": _("Par %(level)s") % {"level": LEVEL_LABELS[level]},
                "rows": [
                    (area_code, next(iter(figures.values())).label, cards[area_code])
                    for area_code, figures in rows.items()
                ],
                "figures": rows,
            }
        )
    context["areas"] = areas
    context["breakdown_labels"] = [capfirst(str(label)) for _c, label in indicator.breakdowns]
    context["maps"] = _maps(page_scope, indicator, period, areas, unit)
    return render(request, "observatory/indicator.html", context)


def _area_url(level, area_code, indicator_code, period) -> str:
    """The page of an area listed under a scope (regions and départements; establishments
    have no page of their own for observers)."""
    query = urlencode({"periode": period.code})
    if level == Level.REGION:
        url = reverse("observatory:regional_indicator", kwargs={"indicator": indicator_code})
        return f"{url}?{urlencode({'region': area_code})}&{query}"
    if level == Level.DEPARTMENT:
        url = reverse(
            "observatory:departement_indicator",
            kwargs={"code": area_code, "indicator": indicator_code},
        )
        return f"{url}?{query}"
    return ""


def _maps(page_scope, indicator, period, areas, unit):
    """Region and département maps of a national or regional scope."""
    maps = []
    scope = page_scope.scope
    wanted = []
    if scope.level == Level.NATION:
        wanted = [(Level.REGION, None), (Level.DEPARTMENT, None)]
    elif scope.level == Level.REGION:
        wanted = [(Level.DEPARTMENT, (Level.REGION, scope.area_code))]
    by_level = {area["level"]: area["figures"] for area in areas}
    for level, within in wanted:
        if level not in indicator.levels:
            continue
        figures = by_level.get(level)
        if figures is None:
            figures = published.cross(indicator.code, level, period, within=within)
        values = {code: cell(f.get(""), indicator) for code, f in figures.items()}
        dom_id = f"carte-{level}"
        title = _("%(name)s par %(level)s, %(period)s") % {
            "name": indicator.name,
            "level": LEVEL_LABELS[level],
            "period": period.label,
        }
        data = choropleth(
            values, "region" if level == Level.REGION else "department", title, unit, dom_id=dom_id
        )
        if scope.level == Level.REGION:
            # Only the région's own départements are published to a regional reader.
            rows = [row for row in data.rows if row.code in values]
        else:
            rows = data.rows
        maps.append(
            {
                "id": dom_id,
                "title": title,
                "data": data,
                "rows": rows,
                "legend": [(entry, legend_swatch(entry, dom_id)) for entry in data.legend],
            }
        )
    return maps


@roles_required(NATIONAL_READERS)
def national_indicator(request, indicator):
    return _indicator_page(request, "national", indicator)


@roles_required(REGIONAL_READERS)
def regional_indicator(request, indicator):
    return _indicator_page(request, "regional", indicator)


@roles_required(DEPARTMENT_READERS)
def departement_indicator(request, code, indicator):
    return _indicator_page(request, "departement", indicator, code)


@roles_required(ESTABLISHMENT_READERS)
def etablissement_indicator(request, indicator):
    return _indicator_page(request, "etablissement", indicator)


# -- definitions --------------------------------------------------------------------------


@public
def definitions(request):
    """Every indicator of the catalogue, one anchor each (public)."""
    grouped = {code: [] for code, _t, _m in THEMES}
    for indicator in published.catalogue():
        grouped[theme_of(indicator)].append(
            {
                "indicator": indicator,
                "definition": definition(indicator),
                "rule": RULES.get(indicator.rule, ""),
                "threshold": indicator.threshold,
                "breakdowns": [str(label) for _c, label in indicator.breakdowns],
            }
        )
    themes = [(code, title, grouped[code]) for code, title, _m in THEMES if grouped[code]]
    return render(request, "observatory/definitions.html", {"themes": themes})
