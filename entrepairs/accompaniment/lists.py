"""The filters, sort keys and export columns of the accompaniment lists (core/listing.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from entrepairs.core.listing import Column, ListFilterSet, SortFilter

from .models import Encounter, Resource

YES_NO = (("oui", _("oui")), ("non", _("non")))


class PersonFilter(ListFilterSet):
    q = django_filters.CharFilter(
        field_name="alias",
        lookup_expr="icontains",
        label=_("Chercher un pseudonyme"),
        max_length=60,
    )
    partage = django_filters.ChoiceFilter(
        choices=YES_NO,
        method="filter_sharing",
        label=_("Partage avec l'équipe"),
        empty_label=_("tous"),
    )
    active_depuis = django_filters.DateFilter(
        field_name="last_activity_on", lookup_expr="gte", label=_("Actives depuis le")
    )
    tri = SortFilter(
        fields=(
            ("alias", "pseudonyme"),
            ("birth_year", "naissance"),
            ("commune__name", "commune"),
            ("last_activity_on", "activite"),
            ("shares_with_team", "partage"),
        )
    )
    default_order = ("-last_activity_on", "alias")

    def filter_sharing(self, queryset, name, value):
        return (
            queryset.filter(shares_with_team=True)
            if value == "oui"
            else queryset.exclude(shares_with_team=True)
        )


PERSON_COLUMNS = (
    Column(_("Pseudonyme"), lambda p: p.alias),
    Column(_("Année de naissance"), lambda p: p.birth_year),
    Column(_("Commune"), lambda p: p.commune.name if p.commune_id else ""),
    Column(_("Dernière activité"), lambda p: p.last_activity_on),
    Column(_("Partage avec l'équipe"), lambda p: bool(p.shares_with_team)),
)


class EncounterFilter(ListFilterSet):
    """The encounters of one person (no export: the person's own export holds them all)."""

    mode = django_filters.ChoiceFilter(
        choices=Encounter.Mode.choices, label=_("Mode"), empty_label=_("tous")
    )
    deroulement = django_filters.ChoiceFilter(
        field_name="outcome",
        choices=Encounter.Outcome.choices,
        label=_("Déroulement"),
        empty_label=_("tous"),
    )
    du = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Du"))
    au = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Au"))
    tri = SortFilter(
        fields=(
            ("date", "date"),
            ("duration_minutes", "duree"),
            ("outcome_rank", "deroulement"),
            ("peer__last_name", "pair"),
        )
    )
    default_order = ("-date", "-created_at")
    choice_orders = {"outcome": Encounter.Outcome.choices}


class ResourceFilter(ListFilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Nom"), max_length=60
    )
    type = django_filters.ChoiceFilter(
        field_name="kind",
        choices=Resource.Kind.choices,
        label=_("Type"),
        empty_label=_("tous les types"),
    )
    ouverte = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_open", label=_("Toujours ouverte"), empty_label=_("toutes")
    )
    tri = SortFilter(fields=(("name", "nom"), ("kind_rank", "type"), ("commune__name", "commune")))
    default_order = ("kind", "name")
    choice_orders = {"kind": Resource.Kind.choices}

    def filter_open(self, queryset, name, value):
        return queryset.filter(is_active=value == "oui")


RESOURCE_COLUMNS = (
    Column(_("Nom"), lambda r: r.name),
    Column(_("Type"), lambda r: r.get_kind_display()),
    Column(_("Commune"), lambda r: r.commune.name if r.commune_id else ""),
    Column(_("Contact"), lambda r: r.contact),
    Column(_("Toujours ouverte"), lambda r: r.is_active),
)
