from django.utils.translation import gettext_lazy as _

from entrepairs.accounts.roles import Role
from entrepairs.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Mon activité"), "observatory:my_activity", frozenset({Role.PEER}), 15),
    NavItem(
        _("Tableau de bord régional"),
        "observatory:regional",
        frozenset({Role.REGIONAL_OBSERVER, Role.NATIONAL_OBSERVER}),
        20,
    ),
    NavItem(
        _("Tableau de bord national"),
        "observatory:national",
        frozenset({Role.NATIONAL_OBSERVER}),
        21,
    ),
]
