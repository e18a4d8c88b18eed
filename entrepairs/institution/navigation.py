from django.utils.translation import gettext_lazy as _

from entrepairs.accounts.roles import Role
from entrepairs.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("Actions institutionnelles"),
        "institution:activity_list",
        frozenset({Role.PEER, Role.COORDINATOR, Role.DIRECTOR}),
        35,
    ),
]
