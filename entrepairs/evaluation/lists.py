"""The filters and sort keys of the evaluation lists (core/listing.py). No export: a
campaign's figures leave only through the observatory's publishing step."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entrepairs.core.listing import ListFilterSet, SortFilter

from .models import Audience, Campaign, InstrumentVersion

YES_NO = (("oui", _("oui")), ("non", _("non")))


class CampaignFilter(ListFilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label=_("Titre"), max_length=60
    )
    mode = django_filters.ChoiceFilter(
        choices=Campaign.Mode.choices, label=_("Mode"), empty_label=_("tous")
    )
    en_cours = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_open", label=_("En cours"), empty_label=_("toutes")
    )
    tri = SortFilter(
        fields=(
            ("title", "campagne"),
            ("instrument_version__title", "questionnaire"),
            ("mode_rank", "mode"),
            ("issued", "invitations"),
            ("used", "utilisees"),
        )
    )
    default_order = ("-opens_on",)
    choice_orders = {"mode": Campaign.Mode.choices}

    def filter_open(self, queryset, name, value):
        closed = Q(closed_at__isnull=False) | Q(closes_on__lt=timezone.localdate())
        return queryset.exclude(closed) if value == "oui" else queryset.filter(closed)


class InstrumentFilter(ListFilterSet):
    public = django_filters.ChoiceFilter(
        field_name="audience", choices=Audience.choices, label=_("Public"), empty_label=_("tous")
    )
    validee = django_filters.ChoiceFilter(
        choices=YES_NO,
        method="filter_validated",
        label=_("Échelle validée"),
        empty_label=_("toutes"),
    )
    tri = SortFilter(
        fields=(
            ("title", "questionnaire"),
            ("audience_rank", "public"),
            ("validated", "validee"),
            ("origin_rank", "origine"),
        )
    )
    default_order = ("title", "-published_at")
    choice_orders = {"audience": Audience.choices, "origin": InstrumentVersion.Origin.choices}

    def filter_validated(self, queryset, name, value):
        return queryset.filter(validated=value == "oui")
