"""Who may read and run the programme of an organisation, and the getters of its views.

Managers (coordination, direction) write; the care roles of the organisation read. Observers
and admins never read a programme: the observatory publishes programmes by maturity as
protected aggregates.
"""

from django.shortcuts import get_object_or_404

from entrepairs.core.roles import CARE_ROLES, MANAGER_ROLES

from .models import Funding, Programme

PROGRAMME_READERS = CARE_ROLES | MANAGER_ROLES
PROGRAMME_WRITERS = MANAGER_ROLES
# The maturity page shows evaluation results (readiness checklist): the managers' reading.
MATURITY_READERS = MANAGER_ROLES


def can_edit_programme(membership) -> bool:
    return membership is not None and membership.role in PROGRAMME_WRITERS


def programme_for(membership) -> Programme | None:
    """The programme of the member's organisation, or None when it is not described yet."""
    return (
        Programme.objects.visible_to(membership)
        .select_related("referent__user", "organisation")
        .first()
    )


def get_funding_for(request, pk) -> Funding:
    """A funding line of the current organisation's programme (404 for any other)."""
    return get_object_or_404(
        Funding.objects.filter(programme__in=Programme.objects.visible_to(request.membership)),
        pk=pk,
    )
