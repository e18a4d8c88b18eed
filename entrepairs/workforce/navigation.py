from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import NavItem
from entrepairs.core.roles import Role

NAV_ITEMS = [
    NavItem(_("Équipe des pairs"), "workforce:dashboard", 20),
    NavItem(_("Mon dossier"), "workforce:my_dossier", 20),
    # Managers reach the charters from the team dashboard; professionals have no dossier.
    NavItem(
        _("Fiches de mission"), "workforce:charter_list", 25, only=frozenset({Role.PROFESSIONAL})
    ),
    NavItem(_("Mon journal éthique"), "workforce:journal_list", 60),
    NavItem(
        _("Supervision"),
        "workforce:supervision_list",
        61,
        only=frozenset({Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR}),
    ),
    NavItem(_("Mentorats"), "workforce:mentoring_list", 62),
    NavItem(_("Déontologie"), "workforce:conduct_current", 63),
]
