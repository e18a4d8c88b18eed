"""Institutional activities: list, record, edit, detail."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing, export_response, export_url_for
from entrepairs.core.models import Action

from .access import (
    ACTIVITY_EXPORTERS,
    ACTIVITY_READERS,
    ACTIVITY_WRITERS,
    activities_for,
    can_write_activities,
    get_activity_for,
)
from .forms import ActivityForm
from .lists import ACTIVITY_COLUMNS, ActivityFilter, with_audience_total
from .models import InstitutionalActivity

PAGE_SIZE = 25


@roles_required(ACTIVITY_READERS)
def activity_list(request):
    listing = Listing(
        request,
        ActivityFilter,
        with_audience_total(activities_for(request.membership)),
        page_size=PAGE_SIZE,
        export_url=export_url_for(request, "institution:activity_list_export", ACTIVITY_EXPORTERS),
    )
    page = listing.page
    log_access(request, Action.LIST, page.object_list, model=InstitutionalActivity)
    return render(
        request,
        "institution/activity_list.html",
        {
            "page": page,
            "listing": listing,
            "can_write": can_write_activities(request.membership),
        },
    )


@roles_required(ACTIVITY_EXPORTERS)
def activity_list_export(request):
    return export_response(
        request,
        ActivityFilter,
        with_audience_total(activities_for(request.membership)),
        ACTIVITY_COLUMNS,
        basename="actions-institutionnelles",
        list_url=reverse("institution:activity_list"),
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
