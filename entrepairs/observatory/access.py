"""Who reads which part of the observatory."""

from django.shortcuts import get_object_or_404

from entrepairs.core.roles import OBSERVER_ROLES, Role
from entrepairs.workforce.models import PeerWorker

PEERS = frozenset({Role.PEER})
COORDINATORS = frozenset({Role.COORDINATOR})
REGIONAL_READERS = OBSERVER_ROLES
NATIONAL_READERS = frozenset({Role.NATIONAL_OBSERVER})


def get_peer_for(request, pk) -> PeerWorker:
    return get_object_or_404(PeerWorker.objects.visible_to(request.membership), pk=pk)
