from django.utils.translation import gettext_lazy as _

from entrepairs.accounts.roles import Role
from entrepairs.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("Groupes"),
        "groups:group_list",
        frozenset({Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR, Role.DIRECTOR}),
        30,
    ),
]
