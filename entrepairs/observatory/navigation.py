from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Mon activité"), "observatory:my_activity", 15),
    NavItem(_("Tableau de bord régional"), "observatory:regional", 20),
    NavItem(_("Tableau de bord national"), "observatory:national", 21),
]
