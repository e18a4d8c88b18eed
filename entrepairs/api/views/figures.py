"""Public by design: indicator definitions and the published, protected figures.

The figures are those of the observatory pages, from the same functions
(``observatory.dashboards.national`` and ``regional``), with the same small-cell protection
applied there: the API reshapes the published table, it never recomputes nor unhides a figure.
Only the pages' period is offered (the last 12 months): letting a caller choose the end date
would let them subtract two overlapping periods and rebuild a hidden count.
No AccessEvent: aggregates only, no personal data (as the pages).
"""

import re

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound

from entrepairs.observatory import dashboards
from entrepairs.territory.models import Region

from ..base import ApiView
from ..indicators import PERIOD, indicator_definitions
from ..schema import PAGE_PARAMETERS, page_of, responses
from ..serializers import (
    FigureRowSerializer,
    FiguresSerializer,
    IndicatorSerializer,
    RegionSerializer,
)

FIGURES_TAG = ["Chiffres publiés (public)"]
REGION_CODE = re.compile(r"^[0-9A-Za-z]{1,3}$")


class IndicatorListView(ApiView):
    @extend_schema(
        operation_id="indicateurs",
        summary="Définitions des indicateurs publiés",
        tags=FIGURES_TAG,
        parameters=PAGE_PARAMETERS,
        responses=responses(page_of(IndicatorSerializer, "PageIndicateurs")),
        auth=[],
    )
    def get(self, request):
        paginator, page = self.paginate(indicator_definitions())
        return paginator.get_paginated_response(page)


class RegionListView(ApiView):
    @extend_schema(
        operation_id="regions",
        summary="Régions (codes INSEE) dont les chiffres sont publiés",
        tags=FIGURES_TAG,
        parameters=PAGE_PARAMETERS,
        responses=responses(page_of(RegionSerializer, "PageRegions")),
        auth=[],
    )
    def get(self, request):
        regions = Region.objects.order_by("code").values("code", "name")
        paginator, page = self.paginate(regions)
        return paginator.get_paginated_response(
            [{"code": r["code"], "nom": r["name"]} for r in page]
        )


def _by_setting(dashboard, values):
    return {code: value for (code, _label), value in zip(dashboard.settings, values, strict=True)}


def figures_response(view, dashboard, level, region):
    rows = [
        {
            "cle": row.key,
            "libelle": row.label,
            "peers_in_post": row.peers_in_post,
            "persons": row.persons,
            "encounters": row.encounters,
            "group_sessions": row.group_sessions,
            "activities": row.activities,
            "persons_by_setting": _by_setting(dashboard, row.persons_by_setting),
        }
        for row in dashboard.rows
    ]
    paginator, page = view.paginate(rows)
    return paginator.get_paginated_response(
        page,
        niveau=level,
        region={"code": region.code, "nom": region.name} if region else None,
        periode={
            "debut": dashboard.start,
            "fin": dashboard.end,
            "libelle": dashboard.period.label if dashboard.period else str(PERIOD),
        },
        seuil=dashboard.threshold,
        cases_masquees=dashboard.suppressed_count,
        cadres=[{"code": code, "libelle": str(label)} for code, label in dashboard.settings],
        totaux={
            **dashboard.totals,
            "persons_by_setting": _by_setting(dashboard, dashboard.persons_by_setting_totals),
        },
    )


class NationalFiguresView(ApiView):
    @extend_schema(
        operation_id="chiffres_national",
        summary="Chiffres publiés, niveau national (une ligne par région)",
        description="Les chiffres de la page « Observatoire national », protégés de la même "
        "façon : null signale un effectif masqué (secret statistique).",
        tags=FIGURES_TAG,
        parameters=PAGE_PARAMETERS,
        responses=responses(page_of(FigureRowSerializer, "PageChiffres", FiguresSerializer)),
        auth=[],
    )
    def get(self, request):
        return figures_response(self, dashboards.national(), "national", None)


class RegionalFiguresView(ApiView):
    @extend_schema(
        operation_id="chiffres_region",
        summary="Chiffres publiés, niveau régional (une ligne par établissement)",
        description="Les chiffres de la page « Tableau de bord régional » de la région, "
        "protégés de la même façon.",
        tags=FIGURES_TAG,
        parameters=[
            OpenApiParameter(
                "code", str, OpenApiParameter.PATH, description="Code INSEE de la région."
            ),
            *PAGE_PARAMETERS,
        ],
        responses=responses(page_of(FigureRowSerializer, "PageChiffres", FiguresSerializer)),
        auth=[],
    )
    def get(self, request, code):
        # Checked before any query: a NUL or a long value never reaches the database.
        region = Region.objects.filter(code=code).first() if REGION_CODE.match(code) else None
        if region is None:
            raise NotFound(_("Région inconnue."))
        return figures_response(self, dashboards.regional(region), "regional", region)
