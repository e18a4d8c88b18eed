"""Activity of the token's organisation: counts by mission, type, facility and month; group
sessions and institutional activities. Scope ``activite``.

Counts, never a person: encounters are counted by their nature (a person is never named nor
identified), group sessions give their headcount only (named attendance never leaves the
pages). Counts stay inside the organisation (its own systems), as on its own pages: the
small-cell rule applies to figures published outside it (``figures``).
"""

import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from entrepairs.accompaniment.models import Encounter
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.groups.models import Group, GroupSession
from entrepairs.institution.models import InstitutionalActivity
from entrepairs.observatory.activity import GROUPS, INDIVIDUAL, INSTITUTIONAL
from entrepairs.territory.models import Facility, Organisation

from ..access import acting_membership
from ..base import ApiView
from ..models import Scope
from ..schema import PAGE_PARAMETERS, page_of, token_responses
from ..serializers import (
    ActivityCountSerializer,
    ActivityPeriodSerializer,
    ActivityQuerySerializer,
    DateRangeQuerySerializer,
    GroupSessionSerializer,
    InstitutionalActivitySerializer,
)

ACTIVITY_TAG = ["Activité (jeton « activite »)"]
DEFAULT_MONTHS = 12
ALL_KINDS = "toutes"


def _month(value: str) -> datetime.date:
    year, month = value.split("-")
    return datetime.date(int(year), int(month), 1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_range(query) -> tuple[datetime.date, datetime.date]:
    """(first day of the first month, first day after the last month), checked."""
    data = ActivityQuerySerializer(data=query)
    data.is_valid(raise_exception=True)
    months = data.validated_data.get("mois", DEFAULT_MONTHS)
    if "debut" in data.validated_data:
        start = _month(data.validated_data["debut"])
    else:
        start = _add_months(timezone.localdate().replace(day=1), 1 - months)
    return start, _add_months(start, months)


def activity_counts(organisation_id: int, start, end, acting) -> list[dict]:
    """Rows of counts (see ``ActivityCountSerializer``): a handful of grouped queries."""
    facilities = dict(
        Facility.objects.filter(organisation_id=organisation_id).values_list("pk", "name")
    )
    rows = []

    def facility_ref(pk):
        return {"id": pk, "nom": facilities.get(pk, "")} if pk else None

    encounters = Encounter.objects.filter(
        organisation_id=organisation_id,
        outcome=Encounter.Outcome.HELD,
        date__gte=start,
        date__lt=end,
    ).annotate(month=TruncMonth("date"))
    kinds = list(Encounter.Kind.choices)
    aggregates = {"n": Count("pk"), "minutes": Coalesce(Sum("duration_minutes"), 0)}
    for code, _label in kinds:
        # ``kinds`` is a JSON list of codes: the quoted code matches one element exactly.
        has_kind = Q(kinds__icontains=f'"{code}"')
        aggregates[f"n_{code}"] = Count("pk", filter=has_kind)
        aggregates[f"m_{code}"] = Coalesce(Sum("duration_minutes", filter=has_kind), 0)
    for item in (
        encounters.values("month", "accompaniment__facility")
        .annotate(**aggregates)
        .order_by("month", "accompaniment__facility")
    ):
        base = {
            "mois": item["month"].strftime("%Y-%m"),
            "mission": INDIVIDUAL,
            "dispositif": facility_ref(item["accompaniment__facility"]),
            "participants": None,
        }
        rows.append(
            {
                **base,
                "type": ALL_KINDS,
                "type_libelle": _("toutes les rencontres"),
                "nombre": item["n"],
                "minutes": item["minutes"],
            }
        )
        rows += [
            {
                **base,
                "type": code,
                "type_libelle": str(label),
                "nombre": item[f"n_{code}"],
                "minutes": item[f"m_{code}"],
            }
            for code, label in kinds
            if item[f"n_{code}"]
        ]

    group_kinds = dict(Group.Kind.choices)
    for item in (
        GroupSession.objects.visible_to(acting)
        .filter(date__gte=start, date__lt=end)
        .annotate(month=TruncMonth("date"))
        .values("month", "group__kind", "group__facility")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"), people=Sum("headcount"))
        .order_by("month", "group__kind", "group__facility")
    ):
        rows.append(
            {
                "mois": item["month"].strftime("%Y-%m"),
                "mission": GROUPS,
                "type": item["group__kind"],
                "type_libelle": str(group_kinds.get(item["group__kind"], item["group__kind"])),
                "dispositif": facility_ref(item["group__facility"]),
                "nombre": item["n"],
                "minutes": item["minutes"] or 0,
                "participants": item["people"] or 0,
            }
        )

    activity_kinds = dict(InstitutionalActivity.Kind.choices)
    for item in (
        InstitutionalActivity.objects.visible_to(acting)
        .filter(date__gte=start, date__lt=end)
        .annotate(month=TruncMonth("date"))
        .values("month", "kind")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by("month", "kind")
    ):
        rows.append(
            {
                "mois": item["month"].strftime("%Y-%m"),
                "mission": INSTITUTIONAL,
                "type": item["kind"],
                "type_libelle": str(activity_kinds.get(item["kind"], item["kind"])),
                "dispositif": None,
                "nombre": item["n"],
                "minutes": item["minutes"] or 0,
                "participants": None,
            }
        )
    order = {INDIVIDUAL: 0, GROUPS: 1, INSTITUTIONAL: 2}
    rows.sort(key=lambda r: (r["mois"], order[r["mission"]]))
    return rows


class ActivityEnvelope(serializers.Serializer):
    periode = ActivityPeriodSerializer()


class ActivityCountsView(ApiView):
    required_scope = Scope.ACTIVITY

    @extend_schema(
        operation_id="activite",
        summary="Comptes d'activité par mission, type, dispositif et mois",
        tags=ACTIVITY_TAG,
        parameters=[ActivityQuerySerializer, *PAGE_PARAMETERS],
        responses=token_responses(
            page_of(ActivityCountSerializer, "PageActivite", ActivityEnvelope)
        ),
    )
    def get(self, request):
        start, end = month_range(request.query_params)
        token = self.token
        rows = activity_counts(token.organisation_id, start, end, acting_membership(token))
        paginator, page = self.paginate(rows)
        log_access(request, Action.LIST, model=Organisation, ids=[token.organisation_id])
        last = _add_months(end, -1)
        return paginator.get_paginated_response(
            page, periode={"debut": start.strftime("%Y-%m"), "fin": last.strftime("%Y-%m")}
        )


def date_range(query):
    data = DateRangeQuerySerializer(data=query)
    data.is_valid(raise_exception=True)
    return data.validated_data.get("debut"), data.validated_data.get("fin")


def within(queryset, start, end):
    if start:
        queryset = queryset.filter(date__gte=start)
    if end:
        queryset = queryset.filter(date__lte=end)
    return queryset


class GroupSessionListView(ApiView):
    required_scope = Scope.ACTIVITY

    @extend_schema(
        operation_id="seances_de_groupe",
        summary="Séances de groupe (nombre de participant·es, jamais de nom)",
        tags=ACTIVITY_TAG,
        parameters=[DateRangeQuerySerializer, *PAGE_PARAMETERS],
        responses=token_responses(page_of(GroupSessionSerializer, "PageSeances")),
    )
    def get(self, request):
        start, end = date_range(request.query_params)
        sessions = (
            within(GroupSession.objects.visible_to(acting_membership(self.token)), start, end)
            .select_related("group__facility")
            .annotate(
                n_peers=Count("peers_present", distinct=True),
                n_professionals=Count("professionals_present", distinct=True),
            )
            .order_by("-date", "-pk")
        )
        paginator, page = self.paginate(sessions)
        log_access(request, Action.LIST, model=GroupSession, ids=[s.pk for s in page])
        return paginator.get_paginated_response(GroupSessionSerializer(page, many=True).data)


class InstitutionalActivityListView(ApiView):
    required_scope = Scope.ACTIVITY

    @extend_schema(
        operation_id="actions_institutionnelles",
        summary="Actions institutionnelles (sensibilisations, formations croisées, instances…)",
        tags=ACTIVITY_TAG,
        parameters=[DateRangeQuerySerializer, *PAGE_PARAMETERS],
        responses=token_responses(page_of(InstitutionalActivitySerializer, "PageActions")),
    )
    def get(self, request):
        start, end = date_range(request.query_params)
        activities = (
            within(
                InstitutionalActivity.objects.visible_to(acting_membership(self.token)), start, end
            )
            .annotate(n_peers=Count("peers", distinct=True))
            .order_by("-date", "-pk")
        )
        paginator, page = self.paginate(activities)
        log_access(request, Action.LIST, model=InstitutionalActivity, ids=[a.pk for a in page])
        return paginator.get_paginated_response(
            InstitutionalActivitySerializer(page, many=True).data
        )
