"""Who may run evaluation, and the getters every evaluation view starts with.

The questionnaire and the person space are public by design (their token is the key);
everything else declares its roles here.
"""

from django.shortcuts import get_object_or_404

from entrepairs.core.roles import MANAGER_ROLES, OBSERVER_ROLES, Role

from .models import Campaign, InstrumentVersion, PersonSpaceLink, token_hash

COORDINATORS = frozenset({Role.COORDINATOR})
# Peers and coordinators run campaigns with the persons they accompany.
CAMPAIGN_RUNNERS = frozenset({Role.COORDINATOR, Role.PEER})
# The instrument catalogue: read by managers and admins; imported by coordinators and admins.
INSTRUMENT_READERS = MANAGER_ROLES | {Role.ADMIN}
INSTRUMENT_IMPORTERS = frozenset({Role.COORDINATOR, Role.ADMIN})
OUTCOME_READERS = MANAGER_ROLES | OBSERVER_ROLES
# Those who give a person the link to their space.
SPACE_LINK_ISSUERS = CAMPAIGN_RUNNERS


def get_campaign_for(request, pk) -> Campaign:
    campaigns = Campaign.objects.visible_to(request.membership).select_related(
        "instrument_version", "facility", "organisation"
    )
    return get_object_or_404(campaigns, pk=pk)


def instrument_versions_for(membership):
    return InstrumentVersion.objects.visible_to(membership).published().select_related("instrument")


def get_instrument_version_for(request, pk) -> InstrumentVersion:
    return get_object_or_404(instrument_versions_for(request.membership), pk=pk)


def person_of_space_token(token):
    """The person whose active space link is ``token`` (None: unknown, expired, anonymised)."""
    link = (
        PersonSpaceLink.objects.active()
        .select_related("person__organisation")
        .filter(token_hash=token_hash(token), person__anonymised_at__isnull=True)
        .first()
    )
    return link.person if link else None


def space_token_problem(token) -> tuple[str, int]:
    """Why ``token`` opens no space, as (reason, status) for ``unavailable``: a link that was
    withdrawn or replaced keeps saying so, an expired one says it expired; a forged one, or
    the link of an anonymised person, is simply unknown."""
    link = (
        PersonSpaceLink.objects.filter(
            token_hash=token_hash(token), person__anonymised_at__isnull=True
        )
        .only("revoked_at", "expires_at")
        .first()
    )
    if link is None:
        return "unknown", 404
    if link.revoked_at is not None:
        return "revoked", 410
    return "expired", 410
