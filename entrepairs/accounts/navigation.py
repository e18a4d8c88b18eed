from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import NavItem

from .roles import MANAGER_ROLES

NAV_ITEMS = [
    NavItem(_("Équipe et accès"), "accounts:team_list", MANAGER_ROLES, 80),
]
