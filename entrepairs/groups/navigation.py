from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import ACTIVITY, NavItem

NAV_ITEMS = [
    NavItem(_("Groupes"), "groups:group_list", 30, group=ACTIVITY),
]
