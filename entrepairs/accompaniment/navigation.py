from django.utils.translation import gettext_lazy as _

from entrepairs.accounts.roles import Role
from entrepairs.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Mes personnes"), "accompaniment:person_list", frozenset({Role.PEER}), 20),
    NavItem(
        _("Personnes accompagnées"),
        "accompaniment:person_list",
        frozenset({Role.PROFESSIONAL, Role.COORDINATOR}),
        20,
    ),
    NavItem(
        _("Ressources locales"),
        "accompaniment:resource_list",
        frozenset({Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR}),
        25,
    ),
]
