"""Who may do what with mutual-aid groups, and the getters every groups view starts with."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from entrepairs.accounts.models import Membership
from entrepairs.core.roles import CARE_ROLES, MANAGER_ROLES, ORGANISATION_ROLES
from entrepairs.workforce.models import PeerWorker

from .models import Group, GroupSession

GROUP_READERS = ORGANISATION_ROLES
# Directors see groups and figures, never record or name anyone. Whoever may record a session
# in a group may also correct or delete any of its sessions.
GROUP_WRITERS = CARE_ROLES
# Who may take the list of groups away (CSV, XLSX): those who run the programme.
GROUP_EXPORTERS = MANAGER_ROLES


def can_write_groups(membership) -> bool:
    return membership is not None and membership.role in GROUP_WRITERS


def facilitator_prefetches():
    return [
        Prefetch("peer_facilitators", queryset=PeerWorker.objects.order_by("last_name")),
        Prefetch(
            "professional_facilitators",
            queryset=Membership.objects.select_related("user").order_by("user__last_name"),
        ),
    ]


def get_group_for(request, pk, with_facilitators=False) -> Group:
    groups = Group.objects.visible_to(request.membership)
    if with_facilitators:
        groups = groups.select_related("facility").prefetch_related(*facilitator_prefetches())
    return get_object_or_404(groups, pk=pk)


def get_session_for(request, pk) -> GroupSession:
    """A session of a group the current membership may see, else 404."""
    sessions = GroupSession.objects.visible_to(request.membership).select_related("group")
    return get_object_or_404(sessions, pk=pk)
