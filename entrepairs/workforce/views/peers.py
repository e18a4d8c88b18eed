"""Peers: the programme dashboard, the list of peers, each peer's dossier."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing, export_response, export_url_for
from entrepairs.core.models import Action
from entrepairs.core.roles import Role
from entrepairs.workforce.models import (
    CodeOfConduct,
    Contract,
    Deployment,
    Mentoring,
    MissionCharter,
    PeerWorker,
    SupervisionSession,
    Training,
)
from entrepairs.workforce.models.contracts import ENDING_SOON_DAYS
from entrepairs.workforce.models.practice import (
    supervision_overdue_since,
    with_supervision_status,
)

from ..access import (
    DOSSIER_READERS,
    MANAGERS,
    PEERS,
    WORKFORCE_EXPORTERS,
    current_peer,
    get_dossier_peer_for,
)
from ..lists import PEER_COLUMNS, PeerFilter


def _current_contracts():
    return Prefetch(
        "contracts",
        queryset=Contract.objects.current().select_related("employer").order_by("-start"),
        to_attr="current_contracts",
    )


def _signed_charter_exists():
    return Exists(
        MissionCharter.objects.filter(
            peer=OuterRef("peer"), facility=OuterRef("facility"), fully_signed_at__isnull=False
        )
    )


@roles_required(MANAGERS)
def dashboard(request):
    """What a coordinator or a director needs to make the programme durable, in one page."""
    membership = request.membership
    today = timezone.localdate()
    peers = PeerWorker.objects.visible_to(membership)
    by_status = dict(peers.values_list("status").annotate(n=Count("pk")).order_by())
    status_rows = [(label, by_status.get(value, 0)) for value, label in PeerWorker.Status.choices]

    contracts = Contract.objects.visible_to(membership).current(today)
    by_kind = {
        row["kind"]: row
        for row in contracts.values("kind")
        .annotate(n=Count("pk"), precarious=Count("pk", filter=Contract.precarious_q()))
        .order_by()
    }
    kind_rows = [
        (label, by_kind.get(value, {}).get("n", 0), by_kind.get(value, {}).get("precarious", 0))
        for value, label in Contract.Kind.choices
    ]
    totals = contracts.aggregate(
        n=Count("pk"), precarious=Count("pk", filter=Contract.precarious_q()), fte=Sum("fte")
    )

    deployments = Deployment.objects.filter(peer__in=peers.exclude(status="left"))
    charters = MissionCharter.objects.visible_to(membership)
    signed_current = charters.fully_signed().filter(next_version__isnull=True)
    charter_counts = {
        "signed": deployments.filter(_signed_charter_exists()).count(),
        "missing": deployments.exclude(_signed_charter_exists()).count(),
        "in_signature": charters.filter(fully_signed_at__isnull=True).count(),
        "expiring": signed_current.filter(
            review_by__isnull=False, review_by__lte=today + datetime.timedelta(days=90)
        ).count(),
    }
    overdue = [
        (peer, due)
        for peer in with_supervision_status(peers.exclude(status="left"))
        if (due := supervision_overdue_since(peer, today))
    ]
    ending = list(
        Contract.objects.visible_to(membership)
        .ending_within(ENDING_SOON_DAYS, today)
        .select_related("peer", "employer")
        .order_by("end")[:10]
    )
    context = {
        "status_rows": status_rows,
        "peer_total": sum(by_status.values()),
        "kind_rows": kind_rows,
        "totals": totals,
        "trainings_in_progress": Training.objects.visible_to(membership)
        .filter(status=Training.Status.IN_PROGRESS)
        .count(),
        "charter_counts": charter_counts,
        "overdue": overdue,
        "mentoring_active": Mentoring.objects.visible_to(membership).active(today).count(),
        "ending": ending,
        "days": ENDING_SOON_DAYS,
    }
    log_access(
        request,
        Action.LIST,
        [p for p, _due in overdue] + [c.peer for c in ending],
        model=PeerWorker,
    )
    return render(request, "workforce/dashboard.html", context)


def _peers(request):
    return with_supervision_status(
        PeerWorker.objects.visible_to(request.membership)
        .prefetch_related(_current_contracts(), "deployments__facility")
        .annotate(
            signed_charters=Count(
                "charters", filter=Q(charters__fully_signed_at__isnull=False), distinct=True
            )
        )
    )


@roles_required(MANAGERS)
def peer_list(request):
    listing = Listing(
        request,
        PeerFilter,
        _peers(request),
        export_url=export_url_for(request, "workforce:peer_list_export", WORKFORCE_EXPORTERS),
    )
    page = listing.page
    today = timezone.localdate()
    for peer in page.object_list:
        peer.overdue_since = supervision_overdue_since(peer, today)
    log_access(request, Action.LIST, page.object_list, model=PeerWorker)
    return render(request, "workforce/peer_list.html", {"page": page, "listing": listing})


@roles_required(WORKFORCE_EXPORTERS)
def peer_list_export(request):
    return export_response(
        request,
        PeerFilter,
        _peers(request),
        PEER_COLUMNS,
        basename="pairs",
        list_url=reverse("workforce:peer_list"),
    )


@roles_required(PEERS)
def my_dossier(request):
    peer = current_peer(request)
    if peer is None:
        return render(request, "workforce/no_dossier.html")
    return redirect("workforce:peer_detail", pk=peer.pk)


@roles_required(DOSSIER_READERS)
def peer_detail(request, pk):
    """A peer's dossier: contracts, trainings, charters, supervision, mentoring."""
    membership = request.membership
    peer = get_dossier_peer_for(request, pk)
    peer = (
        with_supervision_status(PeerWorker.objects.filter(pk=peer.pk))
        .prefetch_related("deployments__facility")
        .get()
    )
    contracts = list(peer.contracts.select_related("employer", "grade__grid").order_by("-start"))
    charters = list(
        peer.charters.select_related("facility", "team_lead__user", "next_version")
        .prefetch_related("signatures")
        .order_by("facility__name", "-version")
    )
    sessions = list(SupervisionSession.objects.filter(participants=peer).order_by("-date")[:5])
    mentorings = (
        list(
            Mentoring.objects.filter(
                Q(mentor__user_id=peer.user_id) | Q(mentee__user_id=peer.user_id)
            )
            .filter(organisation_id=membership.organisation_id)
            .select_related("mentor__user", "mentee__user")
        )
        if peer.user_id
        else []
    )
    is_own = membership.role == Role.PEER
    context = {
        "peer": peer,
        "contracts": contracts,
        "trainings": list(peer.trainings.order_by("-start")),
        "charters": charters,
        "sessions": sessions,
        "mentorings": mentorings,
        "overdue_since": supervision_overdue_since(peer),
        "is_own": is_own,
        "needs_conduct": is_own and CodeOfConduct.needs_acknowledgement(membership),
        "can_manage": membership.role in MANAGERS,
        "is_coordinator": membership.role == Role.COORDINATOR,
    }
    log_access(request, Action.VIEW, peer)
    return render(request, "workforce/peer_detail.html", context)
