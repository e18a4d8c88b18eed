"""Who is acting, and which persons they may touch: the helpers every view starts with."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from entrepairs.accounts.roles import Role
from entrepairs.workforce.models import PeerWorker

from .models import Person

# Roles that see persons (the rest — director, observers, admin — get 403 everywhere here).
READERS = (Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR)
# Roles that write the accompaniment record; professionals only read what is shared.
WRITERS = (Role.PEER, Role.COORDINATOR)


def current_peer(request) -> PeerWorker | None:
    """The PeerWorker record of the user acting as a peer (None for other roles)."""
    if request.membership is None or request.membership.role != Role.PEER:
        return None
    if not hasattr(request, "_peer_worker"):
        request._peer_worker = PeerWorker.objects.filter(user=request.user).first()
    return request._peer_worker


def require_peer(request) -> PeerWorker:
    peer = current_peer(request)
    if peer is None:
        raise PermissionDenied("Aucune fiche de pair-aidant·e pour ce compte.")
    return peer


def visible_person(request, pk, queryset=None) -> Person:
    """The person ``pk`` if the current membership may see them, else 404."""
    queryset = queryset if queryset is not None else Person.objects.all()
    return get_object_or_404(queryset.visible_to(request.membership), pk=pk)
