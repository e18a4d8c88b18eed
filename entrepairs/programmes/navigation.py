from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Programme"), "programmes:detail", 12),
]
