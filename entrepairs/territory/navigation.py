from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import TOOLS, NavItem

NAV_ITEMS = [
    NavItem(_("Quel secteur pour cette commune ?"), "territory:commune_sector", 90, group=TOOLS),
]
