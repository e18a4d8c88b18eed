"""The directory of local resources and the referrals of persons to them."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing, export_response, export_url_for
from entrepairs.core.models import Action

from ..access import (
    PERSON_READERS,
    RECORD_WRITERS,
    RESOURCE_EXPORTERS,
    can_write_record,
    ensure_open_record,
    get_open_record_for,
    get_referral_for,
    get_resource_for,
    lock_open_record,
    refuses_frozen_record,
)
from ..forms import ReferralForm, ResourceForm
from ..lists import RESOURCE_COLUMNS, ResourceFilter
from ..models import Resource


@roles_required(PERSON_READERS)
def resource_list(request):
    """Resources of the organisation, by type; filter by type. Not person data: no audit."""
    listing = Listing(
        request,
        ResourceFilter,
        _resources(request),
        export_url=export_url_for(
            request, "accompaniment:resource_list_export", RESOURCE_EXPORTERS
        ),
    )
    return render(
        request,
        "accompaniment/resource_list.html",
        {
            "page": listing.page,
            "resources": listing.rows,
            "listing": listing,
            "can_write": can_write_record(request.membership),
        },
    )


def _resources(request):
    return Resource.objects.visible_to(request.membership).select_related("commune")


@roles_required(RESOURCE_EXPORTERS)
def resource_list_export(request):
    """The directory as CSV or XLSX; not person data, logged as an export all the same."""
    return export_response(
        request,
        ResourceFilter,
        _resources(request),
        RESOURCE_COLUMNS,
        basename="ressources",
        list_url=reverse("accompaniment:resource_list"),
    )


@roles_required(RECORD_WRITERS)
def resource_create(request):
    return _resource_form(request, Resource(organisation=request.membership.organisation))


@roles_required(RECORD_WRITERS)
def resource_update(request, pk):
    resource = get_resource_for(request, pk)
    return _resource_form(request, resource)


def _resource_form(request, resource):
    form = ResourceForm(
        request.POST or None, instance=resource, organisation=request.membership.organisation
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("La ressource « %(name)s » est enregistrée.") % {"name": resource}
        )
        return redirect("accompaniment:resource_list")
    return render(request, "accompaniment/resource_form.html", {"form": form, "resource": resource})


@roles_required(RECORD_WRITERS)
@refuses_frozen_record
def referral_create(request, pk):
    person = get_open_record_for(request, pk)
    form = ReferralForm(request.POST or None, organisation=request.membership.organisation)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            lock_open_record(person)
            referral = form.save(commit=False)
            referral.person = person
            referral.created_by = request.user
            referral.save()
            person.touch(referral.date)
            log_access(request, Action.CREATE, referral)
        messages.success(request, _("L'orientation est enregistrée."))
        return redirect("accompaniment:person_detail", pk=person.pk)
    log_access(request, Action.VIEW, person)
    return render(request, "accompaniment/referral_form.html", {"form": form, "person": person})


@roles_required(RECORD_WRITERS)
@refuses_frozen_record
def referral_update(request, pk):
    referral = get_referral_for(request, pk)
    ensure_open_record(referral.person)
    form = ReferralForm(
        request.POST or None, instance=referral, organisation=request.membership.organisation
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            lock_open_record(referral.person)
            form.save()
            log_access(request, Action.UPDATE, referral)
        messages.success(request, _("L'orientation est mise à jour."))
        return redirect("accompaniment:person_detail", pk=referral.person_id)
    log_access(request, Action.VIEW, referral.person)
    return render(
        request,
        "accompaniment/referral_form.html",
        {"form": form, "person": referral.person, "referral": referral},
    )
