"""Exports of the published figures of a scope: XLSX workbook (every indicator, codebook,
definitions), CSV of one indicator, the PDF annual report and, for the nation, the open-data
bundle. Public: the codebook and definitions as CSV.

Exports contain published (protected) figures only, even for the people who hold the records
(their unprotected figures stay on the page). Aggregates carry no personal data, yet each
export by a signed-in user is logged as an export (``Action.EXPORT``) of the publication it
read, so that who took which figures out is known.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from entrepairs.core.access import public, roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action

from .. import published
from ..access import (
    DEPARTMENT_READERS,
    ESTABLISHMENT_READERS,
    NATIONAL_READERS,
    REGIONAL_READERS,
)
from ..charts import Point, series_chart
from ..exports import opendata, pdf, tabular
from ..exports.published_tables import (
    THEMES,
    cell,
    definition,
    definitions,
    scope_tables,
    theme_of,
    unit_of,
)
from ..models import Publication
from .figures import choose_period, figure_text, resolve_scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _log_export(request, period):
    ids = Publication.objects.filter(
        period_kind=period.kind, period_start=period.start
    ).values_list("pk", flat=True)
    log_access(request, Action.EXPORT, model=Publication, ids=list(ids))


def _period_or_error(request, years_only=False):
    choice = choose_period(request, years_only=years_only)
    if choice.error:
        return None, HttpResponseBadRequest(choice.error, content_type="text/plain; charset=utf-8")
    if choice.period is None:
        return None, HttpResponseBadRequest(
            _("Aucune période n'est encore publiée."), content_type="text/plain; charset=utf-8"
        )
    return choice.period, None


def _xlsx(request, kind, code=""):
    page_scope = resolve_scope(request, kind, code)
    period, error = _period_or_error(request)
    if error:
        return error
    tables = scope_tables(page_scope.scope, period)
    data = tabular.workbook_bytes(tables, definitions(), f"{page_scope.title} — {period.label}")
    _log_export(request, period)
    return _file(data, XLSX, f"observatoire-{page_scope.scope.slug}-{period.code}.xlsx")


def _csv(request, kind, indicator, code=""):
    page_scope = resolve_scope(request, kind, code)
    try:
        ind = published.indicator(indicator)
    except KeyError:
        raise Http404 from None
    if page_scope.scope.level not in ind.levels:
        raise Http404
    period, error = _period_or_error(request)
    if error:
        return error
    table = next(t for t in scope_tables(page_scope.scope, period, only=ind.code))
    _log_export(request, period)
    return _file(tabular.table_csv(table), "text/csv; charset=utf-8", f"{table.code}.csv")


def annual_report(page_scope, period) -> pdf.Report:
    """The annual report of a scope: per theme, each indicator's figure, quarterly chart,
    table of areas and definition."""
    tables = {t.title: t for t in scope_tables(page_scope.scope, period)}
    sections = {code: pdf.ReportSection(str(title)) for code, title, _m in THEMES}
    scope = page_scope.scope
    for indicator in published.catalogue():
        if scope.level not in indicator.levels:
            continue
        unit = unit_of(indicator)
        series = published.series(indicator.code, scope.level, scope.area_code, kind="quarter")
        points = [
            Point(f.period.code, cell(f, indicator))
            for f in series
            if f.period and f.period.start.year == period.start.year
        ]
        own = published.cross(indicator.code, scope.level, period).get(scope.area_code, {})
        headline = figure_text(cell(own.get(""), indicator), unit)
        sections[theme_of(indicator)].items.append(
            pdf.ReportItem(
                title=indicator.name,
                headline=_("%(period)s : %(value)s") % {"period": period.label, "value": headline},
                chart_svg=series_chart(
                    points, indicator.name, unit, kind="line" if indicator.is_ratio else "bar"
                )
                if points
                else "",
                table=tables.get(indicator.name),
                definition=definition(indicator),
            )
        )
    return pdf.Report(
        title=_("Rapport annuel %(year)s — %(scope)s")
        % {"year": period.start.year, "scope": page_scope.title},
        subtitle=_("Observatoire de la pair-aidance — Entre Pairs"),
        period=period.label,
        sections=[s for s in sections.values() if s.items],
        caveats=[
            _(
                "Les chiffres sont ceux publiés pour l'année et ses trimestres, après le contrôle "
                "du secret statistique commun à tous les niveaux et à toutes les périodes."
            ),
            _(
                "« secret statistique » ne veut pas dire zéro : la case est masquée pour "
                "protéger les personnes."
            ),
            _("Les définitions complètes sont sur la page « Définitions » de l'observatoire."),
        ],
        source=str(tabular.ATTRIBUTION),
    )


def _pdf(request, kind, code=""):
    page_scope = resolve_scope(request, kind, code)
    period, error = _period_or_error(request, years_only=True)
    if error:
        return error
    data = pdf.report_pdf(annual_report(page_scope, period))
    _log_export(request, period)
    return _file(data, "application/pdf", f"rapport-{page_scope.scope.slug}-{period.code}.pdf")


@roles_required(NATIONAL_READERS)
def national_xlsx(request):
    return _xlsx(request, "national")


@roles_required(REGIONAL_READERS)
def regional_xlsx(request):
    return _xlsx(request, "regional")


@roles_required(DEPARTMENT_READERS)
def departement_xlsx(request, code):
    return _xlsx(request, "departement", code)


@roles_required(ESTABLISHMENT_READERS)
def etablissement_xlsx(request):
    return _xlsx(request, "etablissement")


@roles_required(NATIONAL_READERS)
def national_csv(request, indicator):
    return _csv(request, "national", indicator)


@roles_required(REGIONAL_READERS)
def regional_csv(request, indicator):
    return _csv(request, "regional", indicator)


@roles_required(DEPARTMENT_READERS)
def departement_csv(request, code, indicator):
    return _csv(request, "departement", indicator, code)


@roles_required(ESTABLISHMENT_READERS)
def etablissement_csv(request, indicator):
    return _csv(request, "etablissement", indicator)


@roles_required(NATIONAL_READERS)
def national_pdf(request):
    return _pdf(request, "national")


@roles_required(REGIONAL_READERS)
def regional_pdf(request):
    return _pdf(request, "regional")


@roles_required(ESTABLISHMENT_READERS)
def etablissement_pdf(request):
    return _pdf(request, "etablissement")


@roles_required(NATIONAL_READERS)
def national_open_data(request):
    """The national figures of a period as a Frictionless data package (zip of CSV)."""
    page_scope = resolve_scope(request, "national")
    period, error = _period_or_error(request)
    if error:
        return error
    name = f"entre-pairs-observatoire-france-{period.code.lower()}"
    data = opendata.bundle(
        scope_tables(page_scope.scope, period),
        definitions(),
        name,
        _("Observatoire de la pair-aidance — France, %(period)s") % {"period": period.label},
        _(
            "Chiffres nationaux et régionaux publiés par Entre Pairs après le contrôle du secret "
            "statistique. « secret » : case masquée ; « nd » : non disponible."
        ),
    )
    _log_export(request, period)
    return _file(data, "application/zip", f"{name}.zip")


@public
def codebook_csv(request):
    """The definitions of every indicator (public, like the Définitions page)."""
    return _file(
        tabular.definitions_csv(definitions()), "text/csv; charset=utf-8", "indicateurs.csv"
    )
