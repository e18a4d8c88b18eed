"""Institutional activities: list, record, edit, detail."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action

from .access import (
    ACTIVITY_READERS,
    ACTIVITY_WRITERS,
    activities_for,
    can_write_activities,
    get_activity_for,
)
from .forms import ActivityForm
from .models import InstitutionalActivity

PAGE_SIZE = 25


@roles_required(ACTIVITY_READERS)
def activity_list(request):
    activities = activities_for(request.membership)
    kind = request.GET.get("type", "")
    if kind in InstitutionalActivity.Kind.values:
        activities = activities.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(request, Action.LIST, page.object_list, model=InstitutionalActivity)
    return render(
        request,
        "institution/activity_list.html",
        {
            "page": page,
            "kinds": InstitutionalActivity.Kind.choices,
            "kind": kind,
            "extra_query": f"type={kind}" if kind else "",
            "can_write": can_write_activities(request.membership),
        },
    )


@roles_required(ACTIVITY_READERS)
def activity_detail(request, pk):
    activity = get_activity_for(request, pk)
    log_access(request, Action.VIEW, activity)
    return render(
        request,
        "institution/activity_detail.html",
        {"activity": activity, "can_write": can_write_activities(request.membership)},
    )


@roles_required(ACTIVITY_WRITERS)
def activity_create(request):
    form = ActivityForm(
        request.POST or None,
        initial={"date": timezone.localdate()},
        membership=request.membership,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            activity = form.save()
            log_access(request, Action.CREATE, activity)
        messages.success(request, _("L'action institutionnelle est enregistrée."))
        return redirect("institution:activity_detail", pk=activity.pk)
    return render(request, "institution/activity_form.html", {"form": form, "activity": None})


@roles_required(ACTIVITY_WRITERS)
def activity_edit(request, pk):
    activity = get_activity_for(request, pk)
    form = ActivityForm(request.POST or None, instance=activity, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            activity = form.save()
            log_access(request, Action.UPDATE, activity)
        messages.success(request, _("L'action institutionnelle est enregistrée."))
        return redirect("institution:activity_detail", pk=activity.pk)
    # The form shows what the logged detail page shows.
    log_access(request, Action.VIEW, activity)
    return render(request, "institution/activity_form.html", {"form": form, "activity": activity})
