from django.utils.translation import gettext_lazy as _

from entrepairs.accounts.roles import OBSERVER_ROLES, Role
from entrepairs.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("Campagnes d'évaluation"),
        "evaluation:campaign_list",
        frozenset({Role.COORDINATOR, Role.PEER}),
        60,
    ),
    NavItem(
        _("Résultats"),
        "evaluation:outcomes",
        frozenset({Role.COORDINATOR, Role.DIRECTOR, *OBSERVER_ROLES}),
        61,
    ),
    NavItem(
        _("Questionnaires"),
        "evaluation:instrument_list",
        frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN}),
        62,
    ),
]
