"""Helpers shared by the workforce views."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404

from entrepairs.accounts.roles import Role
from entrepairs.workforce.models import PeerWorker

MANAGERS = (Role.COORDINATOR, Role.DIRECTOR)
DOSSIER_READERS = (Role.COORDINATOR, Role.DIRECTOR, Role.PEER)
PAGE_SIZE = 50


def dossier_peer(request, pk):
    """A peer whose dossier the current membership may read (404 otherwise).

    Professionals see peers of their facilities elsewhere, but not their dossier.
    """
    membership = request.membership
    peers = PeerWorker.objects.visible_to(membership)
    if membership.role == Role.PROFESSIONAL:
        peers = peers.none()
    return get_object_or_404(peers, pk=pk)


def paginate(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def date_input_attrs():
    return {"type": "date"}
