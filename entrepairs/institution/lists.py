"""The filters, sort keys and export columns of the list of institutional activities."""

from functools import reduce
from operator import add

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from entrepairs.core.listing import Column, ListFilterSet, SortFilter

from .models import AUDIENCE_FIELDS, InstitutionalActivity


def with_audience_total(activities):
    """Add ``audience_sum``: the headcount of the audience, so that the list sorts on it."""
    return activities.annotate(audience_sum=reduce(add, (F(name) for name, _l in AUDIENCE_FIELDS)))


class ActivityFilter(ListFilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label=_("Intitulé"), max_length=60
    )
    type = django_filters.ChoiceFilter(
        field_name="kind",
        choices=InstitutionalActivity.Kind.choices,
        label=_("Type d'action"),
        empty_label=_("toutes"),
    )
    du = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Du"))
    au = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Au"))
    tri = SortFilter(
        fields=(
            ("date", "date"),
            ("title", "action"),
            ("kind_rank", "type"),
            ("duration_minutes", "duree"),
            ("audience_sum", "public"),
        )
    )
    default_order = ("-date",)
    choice_orders = {"kind": InstitutionalActivity.Kind.choices}


ACTIVITY_COLUMNS = (
    Column(_("Date"), lambda a: a.date),
    Column(_("Action"), lambda a: a.title),
    Column(_("Type"), lambda a: a.kind_label),
    Column(_("Durée (minutes)"), lambda a: a.duration_minutes),
    Column(_("Pairs"), lambda a: ", ".join(str(p) for p in a.peers.all())),
    *(Column(label, lambda a, name=name: getattr(a, name)) for name, label in AUDIENCE_FIELDS),
    Column(_("Public (total)"), lambda a: a.audience_total),
)
