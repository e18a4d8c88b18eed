from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import ACTIVITY, FIGURES, NavItem

from .access import DEPARTMENT_READERS, ESTABLISHMENT_READERS

NAV_ITEMS = [
    NavItem(_("Mon activité"), "observatory:my_activity", 15, group=ACTIVITY),
    NavItem(_("Observatoire de l'établissement"), "observatory:etablissement", 19, group=FIGURES),
    NavItem(_("Observatoire régional"), "observatory:regional", 20, group=FIGURES),
    NavItem(_("Observatoire national"), "observatory:national", 21, group=FIGURES),
    # The public page, offered in the menus of the observatory's readers.
    NavItem(
        _("Définitions des indicateurs"),
        "observatory:definitions",
        22,
        group=FIGURES,
        only=DEPARTMENT_READERS | ESTABLISHMENT_READERS,
    ),
]
