"""The filters and sort keys of the list of API tokens (core/listing.py). No export."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entrepairs.core.listing import ListFilterSet, SortFilter

STATES = (("actif", _("actif")), ("inactif", _("révoqué ou expiré")))


class TokenFilter(ListFilterSet):
    etat = django_filters.ChoiceFilter(
        choices=STATES, method="filter_state", label=_("État"), empty_label=_("tous")
    )
    tri = SortFilter(
        fields=(
            ("name", "nom"),
            ("expires_at", "expiration"),
            ("last_used_at", "usage"),
        )
    )
    default_order = ("revoked_at", "-created_at")

    def filter_state(self, queryset, name, value):
        active = Q(revoked_at__isnull=True, expires_at__gt=timezone.now())
        return queryset.filter(active) if value == "actif" else queryset.exclude(active)
