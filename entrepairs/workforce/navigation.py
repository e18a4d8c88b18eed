from django.utils.translation import gettext_lazy as _

from entrepairs.core.navigation import TEAM, NavItem
from entrepairs.core.roles import Role

NAV_ITEMS = [
    NavItem(_("Équipe des pairs"), "workforce:dashboard", 20, group=TEAM),
    NavItem(_("Mon dossier"), "workforce:my_dossier", 20, group=TEAM),
    # Managers reach the charters from the team dashboard; professionals have no dossier.
    NavItem(
        _("Fiches de mission"),
        "workforce:charter_list",
        25,
        only=frozenset({Role.PROFESSIONAL}),
        group=TEAM,
    ),
    NavItem(_("Mon journal éthique"), "workforce:journal_list", 60, group=TEAM),
    NavItem(
        _("Supervision"),
        "workforce:supervision_list",
        61,
        only=frozenset({Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR}),
        group=TEAM,
    ),
    NavItem(_("Mentorats"), "workforce:mentoring_list", 62, group=TEAM),
    NavItem(_("Déontologie"), "workforce:conduct_current", 63, group=TEAM),
]
