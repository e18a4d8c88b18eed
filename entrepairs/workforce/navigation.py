from django.utils.translation import gettext_lazy as _

from entrepairs.accounts.roles import Role
from entrepairs.core.navigation import NavItem

MANAGERS = frozenset({Role.COORDINATOR, Role.DIRECTOR})
TEAM = frozenset({Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR, Role.DIRECTOR})

NAV_ITEMS = [
    NavItem(_("Équipe des pairs"), "workforce:dashboard", MANAGERS, 20),
    NavItem(_("Mon dossier"), "workforce:my_dossier", frozenset({Role.PEER}), 20),
    NavItem(_("Fiches de mission"), "workforce:charter_list", frozenset({Role.PROFESSIONAL}), 25),
    NavItem(_("Mon journal éthique"), "workforce:journal_list", frozenset({Role.PEER}), 60),
    NavItem(_("Supervision"), "workforce:supervision_list", TEAM - {Role.DIRECTOR}, 61),
    NavItem(_("Mentorats"), "workforce:mentoring_list", TEAM, 62),
    NavItem(_("Déontologie"), "workforce:conduct_current", TEAM, 63),
]
