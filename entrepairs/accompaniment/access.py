"""Who may do what with persons accompanied, and the getters every accompaniment view starts
with. Getters answer 404 for what the current membership may not see (``visible_to()``)."""

from django.shortcuts import get_object_or_404

from entrepairs.core.roles import CARE_ROLES, Role
from entrepairs.workforce.access import get_current_peer_for

from .models import Accompaniment, Encounter, Person, Referral, Resource

# Roles that see persons (the direction, observers and admins get 403 everywhere here).
PERSON_READERS = CARE_ROLES
# Roles that write the accompaniment record; professionals only read what is shared.
RECORD_WRITERS = frozenset({Role.PEER, Role.COORDINATOR})
# Only a peer records an encounter, as the peer who met the person.
PEERS = frozenset({Role.PEER})


def can_write_record(membership) -> bool:
    return membership is not None and membership.role in RECORD_WRITERS


def get_person_for(request, pk, queryset=None) -> Person:
    """The person ``pk`` if the current membership may see them, else 404."""
    queryset = queryset if queryset is not None else Person.objects.all()
    return get_object_or_404(queryset.visible_to(request.membership), pk=pk)


def get_own_encounter_for(request, pk) -> Encounter:
    """An encounter the current peer recorded, for a person they may still see, else 404."""
    peer = get_current_peer_for(request)
    membership = request.membership
    encounters = (
        Encounter.objects.visible_to(membership)
        .filter(peer=peer, organisation_id=membership.organisation_id)
        .select_related("accompaniment__person")
    )
    return get_object_or_404(encounters, pk=pk)


def get_accompaniment_for(request, pk) -> Accompaniment:
    episodes = Accompaniment.objects.visible_to(request.membership).select_related("person")
    return get_object_or_404(episodes, pk=pk)


def get_resource_for(request, pk) -> Resource:
    return get_object_or_404(Resource.objects.visible_to(request.membership), pk=pk)


def get_referral_for(request, pk) -> Referral:
    referrals = Referral.objects.visible_to(request.membership).select_related("person")
    return get_object_or_404(referrals, pk=pk)
