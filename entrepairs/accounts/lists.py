"""The filters and sort keys of the team list (core/listing.py). No export: the team's
addresses are for managing access here, not to be taken away."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entrepairs.core.listing import ListFilterSet, SortFilter
from entrepairs.core.roles import Role

YES_NO = (("oui", _("oui")), ("non", _("non")))


class TeamFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label=_("Nom ou adresse e-mail"), max_length=60
    )
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Rôle"), empty_label=_("tous"))
    actif = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_active", label=_("Accès actif"), empty_label=_("tous")
    )
    tri = SortFilter(
        fields=(
            ("user__last_name", "nom"),
            ("user__email", "email"),
            ("role_rank", "role"),
            ("is_active", "acces"),
            ("has_second_factor", "double"),
        )
    )
    default_order = ("-is_active", "user__last_name", "user__first_name", "user__email")
    choice_orders = {"role": Role.choices}

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(user__last_name__icontains=value)
            | Q(user__first_name__icontains=value)
            | Q(user__email__icontains=value)
        )

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "oui")
