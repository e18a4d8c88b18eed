from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import ACTIVITY, FIGURES, NavItem

NAV_ITEMS = [
    NavItem(_("Mon activité"), "observatory:my_activity", 15, group=ACTIVITY),
    NavItem(_("Tableau de bord régional"), "observatory:regional", 20, group=FIGURES),
    NavItem(_("Tableau de bord national"), "observatory:national", 21, group=FIGURES),
]
