"""Who may see and record institutional participation, and the getters of its views."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from entrepairs.core.roles import MANAGER_ROLES, Role
from entrepairs.workforce.models import PeerWorker

from .models import InstitutionalActivity

ACTIVITY_READERS = frozenset({Role.PEER, Role.COORDINATOR, Role.DIRECTOR})
# Directors read; peers record what they took part in; coordinators record for their team.
ACTIVITY_WRITERS = frozenset({Role.PEER, Role.COORDINATOR})
# Who may take the list away (CSV, XLSX): those who run the programme.
ACTIVITY_EXPORTERS = MANAGER_ROLES


def can_write_activities(membership) -> bool:
    return membership is not None and membership.role in ACTIVITY_WRITERS


def activities_for(membership):
    return InstitutionalActivity.objects.visible_to(membership).prefetch_related(
        Prefetch("peers", queryset=PeerWorker.objects.order_by("last_name", "first_name"))
    )


def get_activity_for(request, pk) -> InstitutionalActivity:
    return get_object_or_404(activities_for(request.membership), pk=pk)
