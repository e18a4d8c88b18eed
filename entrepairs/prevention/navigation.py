from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import EVALUATION, NavItem

NAV_ITEMS = [
    NavItem(_("Plans de prévention : résultats"), "prevention:outcomes", 63, group=EVALUATION)
]
