"""The filters, sort keys and export columns of the groups lists (core/listing.py).

A group export holds the groups and their anonymous counts, never a named attendee."""

import django_filters
from django.utils.translation import gettext_lazy as _

from entrepairs.core.listing import Column, ListFilterSet, SortFilter
from entrepairs.territory.models import Facility

from .models import Group

YES_NO = (("oui", _("oui")), ("non", _("non")))


class GroupFilter(ListFilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Nom du groupe"), max_length=60
    )
    type = django_filters.ChoiceFilter(
        field_name="kind", choices=Group.Kind.choices, label=_("Type"), empty_label=_("tous")
    )
    lieu = django_filters.ModelChoiceFilter(
        field_name="facility",
        queryset=Facility.objects.none(),
        label=_("Dispositif"),
        empty_label=_("tous"),
    )
    en_activite = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_active", label=_("En activité"), empty_label=_("tous")
    )
    tri = SortFilter(
        fields=(
            ("name", "groupe"),
            ("kind_rank", "type"),
            ("session_count", "seances"),
            ("participant_total", "participations"),
            ("last_session", "derniere"),
        )
    )
    default_order = ("-is_active", "name")
    choice_orders = {"kind": Group.Kind.choices}

    def scope_choices(self, membership):
        facilities = Facility.objects.none()
        if membership is not None:
            facilities = Facility.objects.filter(
                organisation_id=membership.organisation_id
            ).order_by("name")
        self.filters["lieu"].queryset = facilities
        self.form.fields["lieu"].queryset = facilities

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "oui")


GROUP_COLUMNS = (
    Column(_("Groupe"), lambda g: g.name),
    Column(_("Type"), lambda g: g.get_kind_display()),
    Column(_("Lieu"), lambda g: g.place),
    Column(_("En activité"), lambda g: g.is_active),
    Column(_("Ouvert"), lambda g: g.is_open),
    Column(
        _("Co-animation"),
        lambda g: ", ".join(
            [str(p) for p in g.peer_facilitators.all()]
            + [m.user.get_full_name() for m in g.professional_facilitators.all()]
        ),
    ),
    Column(_("Séances (12 derniers mois)"), lambda g: g.session_count),
    Column(_("Participations (12 derniers mois)"), lambda g: g.participant_total or 0),
    Column(_("Dernière séance"), lambda g: g.last_session),
)


class SessionFilter(ListFilterSet):
    """The sessions of one group (its page): sort only."""

    tri = SortFilter(
        fields=(
            ("date", "date"),
            ("duration_minutes", "duree"),
            ("headcount", "participants"),
        )
    )
    default_order = ("-date",)
