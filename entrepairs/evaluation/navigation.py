from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Campagnes d'évaluation"), "evaluation:campaign_list", 60),
    NavItem(_("Résultats"), "evaluation:outcomes", 61),
    NavItem(_("Questionnaires"), "evaluation:instrument_list", 62),
]
