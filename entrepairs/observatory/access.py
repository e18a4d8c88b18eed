"""Who reads which part of the observatory."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from entrepairs.core.roles import MANAGER_ROLES, OBSERVER_ROLES, Role
from entrepairs.territory.models import Department, Region
from entrepairs.workforce.models import PeerWorker

PEERS = frozenset({Role.PEER})
COORDINATORS = frozenset({Role.COORDINATOR})
REGIONAL_READERS = OBSERVER_ROLES
NATIONAL_READERS = frozenset({Role.NATIONAL_OBSERVER})


def get_peer_for(request, pk) -> PeerWorker:
    return get_object_or_404(PeerWorker.objects.visible_to(request.membership), pk=pk)


# -- published figures (dashboards, indicators, maps, exports) ------------------------------
ESTABLISHMENT_READERS = MANAGER_ROLES
DEPARTMENT_READERS = OBSERVER_ROLES


def get_region_for(request, code: str = "") -> Region:
    """A regional observer reads their ARS's region only (another code answers 404); the
    national observer reads the region ``code``."""
    membership = request.membership
    if membership.role == Role.REGIONAL_OBSERVER:
        region = membership.organisation.region
        if region is None or (code and code != region.code):
            raise Http404
        return region
    if not code.isalnum():  # "a\x00b" and the like never reach the database
        raise Http404
    return get_object_or_404(Region, code=code)


def get_department_for(request, code: str) -> Department:
    department = get_object_or_404(Department.objects.select_related("region"), code=code)
    membership = request.membership
    if membership.role == Role.REGIONAL_OBSERVER and (
        membership.organisation.region_id != department.region_id
    ):
        raise Http404
    return department
