"""The programme of the current organisation: its page, its edit forms, its maturity page."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.evaluation.access import CAMPAIGN_RUNNERS

from .access import (
    MATURITY_READERS,
    PROGRAMME_READERS,
    PROGRAMME_WRITERS,
    can_edit_programme,
    get_funding_for,
    programme_for,
)
from .forms import FundingForm, ProgrammeForm, StatusChangeForm
from .maturity import readiness_by_year
from .models import ENDING_SOON_DAYS, Status


def _history(programme):
    """Status changes, oldest first, each with the day it ended (None: still in force)."""
    changes = list(programme.status_changes.order_by("effective_on", "pk"))
    for index, change in enumerate(changes):
        following = changes[index + 1] if index + 1 < len(changes) else None
        change.until = following.effective_on if following else None
    return changes


def _context(programme, today):
    fundings = list(programme.fundings.all()) if programme else []
    for funding in fundings:
        funding.ended = funding.ends_on is not None and funding.ends_on < today
        funding.ending_soon = (
            funding.ends_on is not None
            and not funding.ended
            and (funding.ends_on - today).days <= ENDING_SOON_DAYS
        )
    current = sum(f.amount for f in fundings if not f.ended)
    return {
        "programme": programme,
        "history": _history(programme) if programme else [],
        "fundings": fundings,
        "fundings_ending_soon": [f for f in fundings if f.ending_soon],
        "current_amount": current,
        "ending_soon_days": ENDING_SOON_DAYS,
        "statuses": Status,
        "today": today,
    }


@roles_required(PROGRAMME_READERS)
def programme_detail(request):
    programme = programme_for(request.membership)
    if programme is not None:
        log_access(request, Action.VIEW, programme)
    context = _context(programme, timezone.localdate())
    context["can_edit"] = can_edit_programme(request.membership)
    if programme is not None:
        context["facilities"] = list(programme.facilities.order_by("name"))
    return render(request, "programmes/programme_detail.html", context)


@roles_required(PROGRAMME_WRITERS)
def programme_edit(request):
    programme = programme_for(request.membership)
    form = ProgrammeForm(
        request.POST or None,
        instance=programme,
        organisation=request.membership.organisation,
        initial=None if programme else {"name": _("Programme de pair-aidance")},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            log_access(request, Action.UPDATE if programme else Action.CREATE, saved)
        messages.success(request, _("Le programme est enregistré."))
        return redirect("programmes:detail")
    if programme is not None:
        log_access(request, Action.VIEW, programme)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


def _programme_or_redirect(request):
    programme = programme_for(request.membership)
    if programme is None:
        messages.info(request, _("Décrivez d'abord le programme."))
    return programme


@roles_required(PROGRAMME_WRITERS)
def status_create(request):
    programme = _programme_or_redirect(request)
    if programme is None:
        return redirect("programmes:edit")
    form = StatusChangeForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            change = form.save(commit=False)
            change.recorded_by = request.user
            change.save()
            log_access(request, Action.CREATE, change)
        messages.success(
            request,
            _("Le statut « %(status)s » est enregistré à compter du %(day)s.")
            % {
                "status": change.get_status_display(),
                "day": change.effective_on.strftime("%d/%m/%Y"),
            },
        )
        return redirect("programmes:detail")
    return render(
        request,
        "programmes/status_form.html",
        {"form": form, "programme": programme, "history": _history(programme)},
    )


@roles_required(PROGRAMME_WRITERS)
def funding_create(request):
    programme = _programme_or_redirect(request)
    if programme is None:
        return redirect("programmes:edit")
    form = FundingForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            funding = form.save()
            log_access(request, Action.CREATE, funding)
        messages.success(request, _("Le financement est enregistré."))
        return redirect("programmes:detail")
    return render(request, "programmes/funding_form.html", {"form": form, "funding": None})


@roles_required(PROGRAMME_WRITERS)
def funding_edit(request, pk):
    funding = get_funding_for(request, pk)
    form = FundingForm(request.POST or None, instance=funding, programme=funding.programme)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            funding = form.save()
            log_access(request, Action.UPDATE, funding)
        messages.success(request, _("Le financement est enregistré."))
        return redirect("programmes:detail")
    return render(request, "programmes/funding_form.html", {"form": form, "funding": funding})


@roles_required(PROGRAMME_WRITERS)
def funding_delete(request, pk):
    funding = get_funding_for(request, pk)
    if request.method == "POST":
        with transaction.atomic():
            log_access(request, Action.DELETE, funding)
            funding.delete()
        messages.success(request, _("Le financement est supprimé."))
        return redirect("programmes:detail")
    return render(request, "programmes/funding_confirm_delete.html", {"funding": funding})


@roles_required(MATURITY_READERS)
def maturity(request):
    programme = programme_for(request.membership)
    if programme is not None:
        log_access(request, Action.VIEW, programme)
    context = _context(programme, timezone.localdate())
    context["readiness"] = readiness_by_year(request.membership.organisation)
    context["can_edit"] = can_edit_programme(request.membership)
    context["can_run_campaigns"] = request.membership.role in CAMPAIGN_RUNNERS
    return render(request, "programmes/maturity.html", context)
