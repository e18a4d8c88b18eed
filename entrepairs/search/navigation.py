from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Rechercher"), "search:search", 95),
]
