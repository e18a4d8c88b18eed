from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import PERSONS, NavItem
from entrepairs.core.roles import Role

NAV_ITEMS = [
    NavItem(
        _("Mes personnes"),
        "accompaniment:person_list",
        20,
        only=frozenset({Role.PEER}),
        group=PERSONS,
    ),
    NavItem(
        _("Personnes accompagnées"),
        "accompaniment:person_list",
        20,
        only=frozenset({Role.PROFESSIONAL, Role.COORDINATOR}),
        group=PERSONS,
    ),
    NavItem(_("Ressources locales"), "accompaniment:resource_list", 25, group=PERSONS),
]
