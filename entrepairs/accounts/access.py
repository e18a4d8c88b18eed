"""Who manages the team's access, and the getters of the team and invitation views."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from entrepairs.core.roles import MANAGER_ROLES

from .models import Membership
from .roles import grantable_roles

TEAM_MANAGERS = MANAGER_ROLES


def get_managed_membership_for(request, pk) -> Membership:
    """A membership of the manager's organisation whose role the manager may grant."""
    membership = get_object_or_404(Membership.objects.visible_to(request.membership), pk=pk)
    if membership.role not in grantable_roles(request.membership.role):
        raise PermissionDenied
    return membership


def get_pending_invitation_for(request, pk) -> Membership:
    """An invitation sent to the signed-in user and not answered yet (404 for anyone else's)."""
    return get_object_or_404(Membership.objects.pending_for(request.user), pk=pk)
