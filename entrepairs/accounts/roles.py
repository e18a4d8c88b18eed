"""Roles of DESIGN.md and what each may see. Permission predicates live here, not in templates."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PEER = "peer", _("pair-aidant·e")
    PROFESSIONAL = "professional", _("professionnel·le")
    COORDINATOR = "coordinator", _("coordinateur·rice")
    DIRECTOR = "director", _("direction")
    REGIONAL_OBSERVER = "regional_observer", _("observateur·rice régional·e (ARS)")
    NATIONAL_OBSERVER = "national_observer", _("observatoire national")
    ADMIN = "admin", _("administrateur·rice")


# Roles that can see person-level data: a second factor is required for them.
PERSONAL_DATA_ROLES = frozenset({Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR, Role.DIRECTOR})
# Roles that work inside one organisation (as opposed to observers and admins).
ORGANISATION_ROLES = frozenset({Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR, Role.DIRECTOR})
OBSERVER_ROLES = frozenset({Role.REGIONAL_OBSERVER, Role.NATIONAL_OBSERVER})
MANAGER_ROLES = frozenset({Role.COORDINATOR, Role.DIRECTOR})


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
