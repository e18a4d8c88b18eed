from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import ACTIVITY, NavItem

NAV_ITEMS = [
    NavItem(_("Actions institutionnelles"), "institution:activity_list", 35, group=ACTIVITY),
]
