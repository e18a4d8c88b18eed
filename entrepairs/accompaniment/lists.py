"""The filters, sort keys and export columns of the accompaniment lists (core/listing.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from entrepairs.core.listing import Column, ListFilterSet, SortFilter

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
