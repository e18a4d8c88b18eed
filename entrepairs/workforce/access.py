"""Who may do what in the workforce app, and the getters every workforce view starts with.

Getters take the request and a primary key and answer 404 for anything the current
membership may not see (``visible_to()``), so an object of another organisation is never
told apart from one that does not exist.
"""

from django.shortcuts import get_object_or_404

from entrepairs.core.roles import CARE_ROLES, MANAGER_ROLES, ORGANISATION_ROLES, Role

from .models import (
    CompetencyFramework,
    Contract,
    EthicsJournalEntry,
    Mentoring,
    MissionCharter,
    PeerWorker,
    SupervisionSession,
    Training,
)
from .models.competencies import portfolio_q

MANAGERS = MANAGER_ROLES
PEERS = frozenset({Role.PEER})
COORDINATORS = frozenset({Role.COORDINATOR})
# A peer's dossier (contracts, trainings): its managers and the peer themself.
DOSSIER_READERS = MANAGER_ROLES | PEERS
# Charters, the code of conduct, supervision, mentoring and competencies are read in the
# whole organisation (each queryset then narrows to what the role may see).
ORGANISATION_READERS = ORGANISATION_ROLES
# Those who sign a mission charter (peer, team lead, referent) or assess as a mentor.
CHARTER_SIGNERS = CARE_ROLES
MENTORING_PARTIES = CARE_ROLES
# Who may take the workforce lists away (CSV, XLSX: peers, contracts, trainings, charters,
# supervision, mentoring): those who run the workforce, never a peer or a professional.
WORKFORCE_EXPORTERS = MANAGER_ROLES


def current_peer(request) -> PeerWorker | None:
    """The peer record of the user acting as a peer in the current organisation, or None.

    The one way to find "me, the peer": through ``visible_to()``, so a peer record of the
    same user in another organisation never answers.
    """
    membership = getattr(request, "membership", None)
    if membership is None or membership.role != Role.PEER:
        return None
    if not hasattr(request, "_current_peer"):
        request._current_peer = PeerWorker.objects.visible_to(membership).first()
    return request._current_peer


def get_current_peer_for(request) -> PeerWorker:
    """The acting peer, or 404 when this account has no peer record here."""
    peer = current_peer(request)
    if peer is None:
        raise_not_found()
    return peer


def raise_not_found():
    get_object_or_404(PeerWorker.objects.none())


def get_dossier_peer_for(request, pk) -> PeerWorker:
    """A peer whose dossier the current membership may read (professionals see peers of
    their facilities elsewhere, but not their dossier)."""
    membership = request.membership
    peers = PeerWorker.objects.visible_to(membership)
    if membership.role == Role.PROFESSIONAL:
        peers = peers.none()
    return get_object_or_404(peers, pk=pk)


def get_portfolio_peer_for(request, pk) -> PeerWorker:
    """A peer whose competency portfolio the membership may read: dossier readers and the
    peer's current mentors."""
    q = portfolio_q(request.membership, prefix="")
    peers = PeerWorker.objects.none() if q is None else PeerWorker.objects.filter(q)
    return get_object_or_404(peers, pk=pk)


def charters_for(membership):
    return (
        MissionCharter.objects.visible_to(membership)
        .select_related(
            "peer", "facility__organisation", "team_lead__user", "referent__user", "next_version"
        )
        .prefetch_related("signatures__user")
    )


def get_charter_for(request, pk) -> MissionCharter:
    return get_object_or_404(charters_for(request.membership), pk=pk)


def get_own_charter_for(request, pk) -> MissionCharter:
    """A charter for a facility of the current organisation: the only ones it may change.

    The employer of a seconded peer reads the host's charters but never edits them (404).
    """
    charters = charters_for(request.membership).filter(
        facility__organisation_id=request.membership.organisation_id
    )
    return get_object_or_404(charters, pk=pk)


def contracts_for(membership):
    return Contract.objects.visible_to(membership).select_related("peer", "employer", "grade__grid")


def get_contract_for(request, pk) -> Contract:
    return get_object_or_404(contracts_for(request.membership), pk=pk)


def get_own_contract_for(request, pk) -> Contract:
    """A contract whose employer is the current organisation: the only ones it may change.

    The host of a seconded peer reads the association's contracts but never edits them (404).
    """
    contracts = contracts_for(request.membership).filter(
        employer_id=request.membership.organisation_id
    )
    return get_object_or_404(contracts, pk=pk)


def trainings_for(membership):
    return Training.objects.visible_to(membership).select_related("peer")


def get_training_for(request, pk) -> Training:
    return get_object_or_404(trainings_for(request.membership), pk=pk)


def mentorings_for(membership):
    return Mentoring.objects.visible_to(membership).select_related("mentor__user", "mentee__user")


def get_mentoring_for(request, pk) -> Mentoring:
    return get_object_or_404(mentorings_for(request.membership), pk=pk)


def get_own_journal_entry_for(request, pk) -> EthicsJournalEntry:
    """An ethics journal entry the current peer wrote (nobody else may change it)."""
    return get_object_or_404(EthicsJournalEntry.objects.authored_by(request.membership), pk=pk)


def get_journal_entry_for(request, pk) -> EthicsJournalEntry:
    entries = EthicsJournalEntry.objects.visible_to(request.membership)
    return get_object_or_404(entries.select_related("brought_to", "peer"), pk=pk)


def get_supervision_for(request, pk) -> SupervisionSession:
    sessions = SupervisionSession.objects.visible_to(request.membership).prefetch_related(
        "participants", "staff_participants__user"
    )
    return get_object_or_404(sessions, pk=pk)


def frameworks_for(membership):
    return CompetencyFramework.objects.usable_by(membership.organisation_id)


def get_framework_for(request, pk, queryset=None) -> CompetencyFramework:
    frameworks = queryset if queryset is not None else frameworks_for(request.membership)
    return get_object_or_404(frameworks, pk=pk)
