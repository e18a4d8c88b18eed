"""Who manages API tokens, which scopes each role may grant, and what a token may read.

The token management pages are HTML views of coordinators and directors (``TOKEN_MANAGERS``).
A role grants only the scopes whose data its own pages show: the direction reads activity
figures and the workforce dossier but not evaluation answers, which only coordinators export
(``evaluation:campaign_responses_fhir``).

An API call carries no membership: the token stands for its organisation. Its queries go
through the same ``visible_to()`` as the pages, with ``acting_membership(token)``: the token
reads as the direction of its organisation does (figures and workforce, never a person),
narrowed by its scopes. For the audit, ``request.membership`` is the ``TokenPrincipal``: the
event records the token's organisation and ``api_token:<id>`` as role.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from entrepairs.core.roles import MANAGER_ROLES, Role
from entrepairs.territory.models import Facility

from .models import ApiToken, Scope

TOKEN_MANAGERS = MANAGER_ROLES
GRANTABLE_SCOPES = {
    Role.COORDINATOR: frozenset(Scope),
    Role.DIRECTOR: frozenset({Scope.ACTIVITY, Scope.WORKFORCE}),
}
# Validity of a new token, in days.
DEFAULT_VALIDITY_DAYS = 90
MAX_VALIDITY_DAYS = 365


def grantable_scopes(role) -> frozenset:
    return GRANTABLE_SCOPES.get(role, frozenset())


def get_token_for(request, pk) -> ApiToken:
    """A token of the manager's organisation (404 for any other)."""
    return get_object_or_404(
        ApiToken.objects.visible_to(request.membership).select_related("created_by__user"), pk=pk
    )


@dataclass(frozen=True)
class ActingMembership:
    """What ``visible_to()`` sees of a token: the direction of its organisation, no user,
    no facility."""

    organisation: object
    organisation_id: int
    role: str = Role.DIRECTOR
    user_id: None = None
    pk: None = None

    @property
    def facilities(self):
        return Facility.objects.none()


@dataclass(frozen=True)
class TokenPrincipal:
    """``request.membership`` during an API call, for ``log_access``."""

    organisation_id: int
    role: str


def acting_membership(token: ApiToken) -> ActingMembership:
    return ActingMembership(organisation=token.organisation, organisation_id=token.organisation_id)


def principal_of(token: ApiToken) -> TokenPrincipal:
    return TokenPrincipal(organisation_id=token.organisation_id, role=f"api_token:{token.pk}")
