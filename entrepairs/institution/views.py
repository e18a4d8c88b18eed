"""Institutional activities: list, record, edit, detail."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.accounts.roles import Role
from entrepairs.core.audit import log_access
from entrepairs.core.permissions import role_required
from entrepairs.workforce.models import PeerWorker

from .forms import ActivityForm
from .models import InstitutionalActivity

READERS = (Role.PEER, Role.COORDINATOR, Role.DIRECTOR)
# Directors read; peers record what they took part in; coordinators record for their team.
WRITERS = (Role.PEER, Role.COORDINATOR)
PAGE_SIZE = 25


def visible_activities(membership):
    return InstitutionalActivity.objects.visible_to(membership).prefetch_related(
        Prefetch("peers", queryset=PeerWorker.objects.order_by("last_name", "first_name"))
    )


@role_required(*READERS)
def activity_list(request):
    activities = visible_activities(request.membership)
    kind = request.GET.get("type", "")
    if kind in InstitutionalActivity.Kind.values:
        activities = activities.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(request, "list", page.object_list, model=InstitutionalActivity)
    return render(
        request,
        "institution/activity_list.html",
        {
            "page": page,
            "kinds": InstitutionalActivity.Kind.choices,
            "kind": kind,
            "extra_query": f"type={kind}" if kind else "",
            "can_write": request.membership.role in WRITERS,
        },
    )


@role_required(*READERS)
def activity_detail(request, pk):
    activity = get_object_or_404(visible_activities(request.membership), pk=pk)
    log_access(request, "view", activity)
    return render(
        request,
        "institution/activity_detail.html",
        {"activity": activity, "can_write": request.membership.role in WRITERS},
    )


@role_required(*WRITERS)
def activity_create(request):
    form = ActivityForm(
        request.POST or None,
        initial={"date": timezone.localdate()},
        membership=request.membership,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            activity = form.save()
            log_access(request, "create", activity)
        messages.success(request, _("L'action institutionnelle est enregistrée."))
        return redirect("institution:activity_detail", pk=activity.pk)
    return render(request, "institution/activity_form.html", {"form": form, "activity": None})


@role_required(*WRITERS)
def activity_edit(request, pk):
    activity = get_object_or_404(
        InstitutionalActivity.objects.visible_to(request.membership), pk=pk
    )
    form = ActivityForm(request.POST or None, instance=activity, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            activity = form.save()
            log_access(request, "update", activity)
        messages.success(request, _("L'action institutionnelle est enregistrée."))
        return redirect("institution:activity_detail", pk=activity.pk)
    return render(request, "institution/activity_form.html", {"form": form, "activity": activity})
