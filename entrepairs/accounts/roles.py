"""Which roles a manager may grant. The roles themselves live in ``entrepairs.core.roles``."""

from entrepairs.core.roles import ORGANISATION_ROLES, Role


def grantable_roles(role) -> frozenset:
    """Roles a manager acting as ``role`` may give (or take away) in their organisation.

    Only organisation roles, never observers or administrators. A coordinator runs the
    peer-support programme but does not appoint the establishment's direction: only a
    director may grant (or change) the director role.
    """
    if role == Role.DIRECTOR:
        return ORGANISATION_ROLES
    if role == Role.COORDINATOR:
        return ORGANISATION_ROLES - {Role.DIRECTOR}
    return frozenset()
