"""Ethics journal, supervision sessions and cross-mentoring."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entrepairs.accounts.roles import Role
from entrepairs.core.audit import log_access
from entrepairs.core.permissions import role_required
from entrepairs.workforce.forms import (
    JournalEntryForm,
    MentoringForm,
    MentoringMeetingForm,
    SupervisionSessionForm,
)
from entrepairs.workforce.models import (
    EthicsJournalEntry,
    Mentoring,
    PeerWorker,
    SupervisionSession,
)

from .common import paginate

ORG_ROLES = (Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR, Role.DIRECTOR)


def _own_peer(request):
    return get_object_or_404(PeerWorker.objects.visible_to(request.membership))


# Ethics journal -------------------------------------------------------------------------------
@role_required(Role.PEER)
def journal_list(request):
    entries = EthicsJournalEntry.objects.authored_by(request.membership).select_related(
        "brought_to"
    )
    page = paginate(request, entries)
    log_access(request, "list", page.object_list, model=EthicsJournalEntry)
    return render(request, "workforce/journal_list.html", {"page": page})


@role_required(Role.PEER)
def journal_create(request):
    peer = _own_peer(request)
    form = JournalEntryForm(request.POST or None, peer=peer)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            entry = form.save()
        log_access(request, "create", entry)
        messages.success(request, _("Réflexion enregistrée."))
        return redirect("workforce:journal_detail", pk=entry.pk)
    return render(request, "workforce/journal_form.html", {"form": form})


@role_required(Role.PEER)
def journal_update(request, pk):
    entry = get_object_or_404(EthicsJournalEntry.objects.authored_by(request.membership), pk=pk)
    form = JournalEntryForm(request.POST or None, instance=entry, peer=entry.peer)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        log_access(request, "update", entry)
        messages.success(request, _("Réflexion modifiée."))
        return redirect("workforce:journal_detail", pk=entry.pk)
    log_access(request, "view", entry)
    return render(request, "workforce/journal_form.html", {"form": form, "entry": entry})


@role_required(*ORG_ROLES)
def journal_detail(request, pk):
    entry = get_object_or_404(
        EthicsJournalEntry.objects.visible_to(request.membership).select_related(
            "brought_to", "peer"
        ),
        pk=pk,
    )
    log_access(request, "view", entry)
    is_author = request.membership.role == Role.PEER and entry.peer.user_id == request.user.pk
    return render(
        request, "workforce/journal_detail.html", {"entry": entry, "is_author": is_author}
    )


# Supervision ----------------------------------------------------------------------------------
@role_required(*ORG_ROLES)
def supervision_list(request):
    sessions = (
        SupervisionSession.objects.visible_to(request.membership)
        .annotate(n_peers=Count("participants", distinct=True))
        .order_by("-date", "-pk")
    )
    page = paginate(request, sessions)
    log_access(request, "list", page.object_list, model=SupervisionSession)
    return render(
        request,
        "workforce/supervision_list.html",
        {"page": page, "is_coordinator": request.membership.role == Role.COORDINATOR},
    )


@role_required(Role.COORDINATOR)
def supervision_create(request):
    form = SupervisionSessionForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            session = form.save()
        log_access(request, "create", session)
        messages.success(request, _("Séance enregistrée."))
        return redirect("workforce:supervision_detail", pk=session.pk)
    return render(request, "workforce/supervision_form.html", {"form": form})


@role_required(*ORG_ROLES)
def supervision_detail(request, pk):
    session = get_object_or_404(
        SupervisionSession.objects.visible_to(request.membership).prefetch_related(
            "participants", "staff_participants__user"
        ),
        pk=pk,
    )
    # Only entries the author brought to this session, and only for its participants.
    entries = EthicsJournalEntry.objects.visible_to(request.membership).filter(brought_to=session)
    log_access(request, "view", session)
    return render(
        request, "workforce/supervision_detail.html", {"session": session, "entries": entries}
    )


# Mentoring ------------------------------------------------------------------------------------
def _mentorings(membership):
    return Mentoring.objects.visible_to(membership).select_related("mentor__user", "mentee__user")


@role_required(*ORG_ROLES)
def mentoring_list(request):
    page = paginate(
        request,
        _mentorings(request.membership)
        .annotate(n_meetings=Count("meetings"))
        .order_by("-start", "-pk"),
    )
    log_access(request, "list", page.object_list, model=Mentoring)
    return render(
        request,
        "workforce/mentoring_list.html",
        {"page": page, "is_coordinator": request.membership.role == Role.COORDINATOR},
    )


@role_required(Role.COORDINATOR)
def mentoring_create(request):
    form = MentoringForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            mentoring = form.save()
        log_access(request, "create", mentoring)
        messages.success(request, _("Mentorat enregistré."))
        return redirect("workforce:mentoring_detail", pk=mentoring.pk)
    return render(request, "workforce/mentoring_form.html", {"form": form})


def _can_log_meeting(membership, mentoring):
    return membership.role == Role.COORDINATOR or membership.pk in (
        mentoring.mentor_id,
        mentoring.mentee_id,
    )


@role_required(*ORG_ROLES)
def mentoring_detail(request, pk):
    mentoring = get_object_or_404(_mentorings(request.membership), pk=pk)
    can_log = _can_log_meeting(request.membership, mentoring)
    log_access(request, "view", mentoring)
    return render(
        request,
        "workforce/mentoring_detail.html",
        {
            "mentoring": mentoring,
            "meetings": mentoring.meetings.all(),
            "form": MentoringMeetingForm(mentoring=mentoring) if can_log else None,
        },
    )


@require_POST
@role_required(Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR)
def mentoring_meeting_create(request, pk):
    mentoring = get_object_or_404(_mentorings(request.membership), pk=pk)
    if not _can_log_meeting(request.membership, mentoring):
        messages.error(
            request, _("Seules les deux personnes du mentorat peuvent noter une rencontre.")
        )
        return redirect("workforce:mentoring_detail", pk=mentoring.pk)
    form = MentoringMeetingForm(request.POST, mentoring=mentoring)
    if form.is_valid():
        with transaction.atomic():
            form.save()
        log_access(request, "update", mentoring)
        messages.success(request, _("Rencontre enregistrée."))
        return redirect("workforce:mentoring_detail", pk=mentoring.pk)
    return render(
        request,
        "workforce/mentoring_detail.html",
        {"mentoring": mentoring, "meetings": mentoring.meetings.all(), "form": form},
        status=200,
    )
