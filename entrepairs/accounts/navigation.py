from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import TEAM, NavItem

NAV_ITEMS = [
    NavItem(_("Équipe et accès"), "accounts:team_list", 80, group=TEAM),
]
