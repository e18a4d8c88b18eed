from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import TOOLS, NavItem

NAV_ITEMS = [
    NavItem(_("Accès API"), "api_tokens:token_list", 85, group=TOOLS),
]
