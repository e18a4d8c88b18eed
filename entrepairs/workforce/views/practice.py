"""Ethics journal, supervision sessions and cross-mentoring."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing, export_response, export_url_for
from entrepairs.core.models import Action
from entrepairs.core.roles import Role
from entrepairs.workforce.forms import (
    JournalEntryForm,
    MentoringForm,
    MentoringMeetingForm,
    SupervisionSessionForm,
)
from entrepairs.workforce.models import (
    EthicsJournalEntry,
    Mentoring,
    SupervisionSession,
)

from ..access import (
    COORDINATORS,
    MENTORING_PARTIES,
    ORGANISATION_READERS,
    PEERS,
    WORKFORCE_EXPORTERS,
    get_current_peer_for,
    get_journal_entry_for,
    get_mentoring_for,
    get_own_journal_entry_for,
    get_supervision_for,
    mentorings_for,
)
from ..lists import (
    MENTORING_COLUMNS,
    SUPERVISION_COLUMNS,
    MentoringFilter,
    SupervisionFilter,
)
from .common import paginate


# Ethics journal -------------------------------------------------------------------------------
@roles_required(PEERS)
def journal_list(request):
    entries = EthicsJournalEntry.objects.authored_by(request.membership).select_related(
        "brought_to"
    )
    page = paginate(request, entries)
    log_access(request, Action.LIST, page.object_list, model=EthicsJournalEntry)
    return render(request, "workforce/journal_list.html", {"page": page})


@roles_required(PEERS)
def journal_create(request):
    peer = get_current_peer_for(request)
    form = JournalEntryForm(request.POST or None, peer=peer, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            entry = form.save()
            log_access(request, Action.CREATE, entry)
        messages.success(request, _("Réflexion enregistrée."))
        return redirect("workforce:journal_detail", pk=entry.pk)
    return render(request, "workforce/journal_form.html", {"form": form})


@roles_required(PEERS)
def journal_update(request, pk):
    entry = get_own_journal_entry_for(request, pk)
    form = JournalEntryForm(
        request.POST or None, instance=entry, peer=entry.peer, membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            log_access(request, Action.UPDATE, entry)
        messages.success(request, _("Réflexion modifiée."))
        return redirect("workforce:journal_detail", pk=entry.pk)
    log_access(request, Action.VIEW, entry)
    return render(request, "workforce/journal_form.html", {"form": form, "entry": entry})


@roles_required(ORGANISATION_READERS)
def journal_detail(request, pk):
    entry = get_journal_entry_for(request, pk)
    log_access(request, Action.VIEW, entry)
    is_author = request.membership.role == Role.PEER and entry.peer.user_id == request.user.pk
    return render(
        request, "workforce/journal_detail.html", {"entry": entry, "is_author": is_author}
    )


# Supervision ----------------------------------------------------------------------------------
@roles_required(ORGANISATION_READERS)
def supervision_list(request):
    listing = Listing(
        request,
        SupervisionFilter,
        _sessions(request),
        export_url=export_url_for(
            request, "workforce:supervision_list_export", WORKFORCE_EXPORTERS
        ),
    )
    page = listing.page
    log_access(request, Action.LIST, page.object_list, model=SupervisionSession)
    return render(
        request,
        "workforce/supervision_list.html",
        {
            "page": page,
            "listing": listing,
            "is_coordinator": request.membership.role == Role.COORDINATOR,
        },
    )


def _sessions(request):
    return SupervisionSession.objects.visible_to(request.membership).annotate(
        n_peers=Count("participants", distinct=True)
    )


@roles_required(WORKFORCE_EXPORTERS)
def supervision_list_export(request):
    return export_response(
        request,
        SupervisionFilter,
        _sessions(request),
        SUPERVISION_COLUMNS,
        basename="supervision",
        list_url=reverse("workforce:supervision_list"),
    )


@roles_required(COORDINATORS)
def supervision_create(request):
    form = SupervisionSessionForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            session = form.save()
            log_access(request, Action.CREATE, session)
        messages.success(request, _("Séance enregistrée."))
        return redirect("workforce:supervision_detail", pk=session.pk)
    return render(request, "workforce/supervision_form.html", {"form": form})


@roles_required(ORGANISATION_READERS)
def supervision_detail(request, pk):
    session = get_supervision_for(request, pk)
    # Only entries the author brought to this session, and only for its participants.
    entries = EthicsJournalEntry.objects.visible_to(request.membership).filter(brought_to=session)
    log_access(request, Action.VIEW, session)
    return render(
        request, "workforce/supervision_detail.html", {"session": session, "entries": entries}
    )


# Mentoring ------------------------------------------------------------------------------------
@roles_required(ORGANISATION_READERS)
def mentoring_list(request):
    listing = Listing(
        request,
        MentoringFilter,
        _mentorings(request),
        export_url=export_url_for(request, "workforce:mentoring_list_export", WORKFORCE_EXPORTERS),
    )
    page = listing.page
    log_access(request, Action.LIST, page.object_list, model=Mentoring)
    return render(
        request,
        "workforce/mentoring_list.html",
        {
            "page": page,
            "listing": listing,
            "is_coordinator": request.membership.role == Role.COORDINATOR,
        },
    )


def _mentorings(request):
    return mentorings_for(request.membership).annotate(n_meetings=Count("meetings"))


@roles_required(WORKFORCE_EXPORTERS)
def mentoring_list_export(request):
    return export_response(
        request,
        MentoringFilter,
        _mentorings(request),
        MENTORING_COLUMNS,
        basename="mentorats",
        list_url=reverse("workforce:mentoring_list"),
    )


@roles_required(COORDINATORS)
def mentoring_create(request):
    form = MentoringForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            mentoring = form.save()
            log_access(request, Action.CREATE, mentoring)
        messages.success(request, _("Mentorat enregistré."))
        return redirect("workforce:mentoring_detail", pk=mentoring.pk)
    return render(request, "workforce/mentoring_form.html", {"form": form})


def _can_log_meeting(membership, mentoring):
    return membership.role == Role.COORDINATOR or membership.pk in (
        mentoring.mentor_id,
        mentoring.mentee_id,
    )


@roles_required(ORGANISATION_READERS)
def mentoring_detail(request, pk):
    mentoring = get_mentoring_for(request, pk)
    can_log = _can_log_meeting(request.membership, mentoring)
    log_access(request, Action.VIEW, mentoring)
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
@roles_required(MENTORING_PARTIES)
def mentoring_meeting_create(request, pk):
    mentoring = get_mentoring_for(request, pk)
    if not _can_log_meeting(request.membership, mentoring):
        messages.error(
            request, _("Seules les deux personnes du mentorat peuvent noter une rencontre.")
        )
        return redirect("workforce:mentoring_detail", pk=mentoring.pk)
    form = MentoringMeetingForm(request.POST, mentoring=mentoring)
    if form.is_valid():
        with transaction.atomic():
            form.save()
            log_access(request, Action.UPDATE, mentoring)
        messages.success(request, _("Rencontre enregistrée."))
        return redirect("workforce:mentoring_detail", pk=mentoring.pk)
    return render(
        request,
        "workforce/mentoring_detail.html",
        {"mentoring": mentoring, "meetings": mentoring.meetings.all(), "form": form},
        status=200,
    )
