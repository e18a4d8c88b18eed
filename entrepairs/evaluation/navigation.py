from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import EVALUATION, NavItem

NAV_ITEMS = [
    NavItem(_("Campagnes d'évaluation"), "evaluation:campaign_list", 60, group=EVALUATION),
    NavItem(_("Résultats"), "evaluation:outcomes", 61, group=EVALUATION),
    NavItem(_("Questionnaires"), "evaluation:instrument_list", 62, group=EVALUATION),
]
