"""The roles of DESIGN.md and the named sets of roles every app builds on.

This is the bottom of the access layer: apps define their own role sets in their
``access.py`` from these names, never from a list of their own.
"""

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


ALL_ROLES = frozenset(Role)
# Roles that work inside one organisation (as opposed to observers and admins).
ORGANISATION_ROLES = frozenset({Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR, Role.DIRECTOR})
# Roles that can see person-level data: a second factor is required for them.
PERSONAL_DATA_ROLES = ORGANISATION_ROLES
# Roles that see persons accompanied (never the direction, observers or admins).
CARE_ROLES = frozenset({Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR})
# Those who run the programme and its workforce in an organisation.
MANAGER_ROLES = frozenset({Role.COORDINATOR, Role.DIRECTOR})
OBSERVER_ROLES = frozenset({Role.REGIONAL_OBSERVER, Role.NATIONAL_OBSERVER})
