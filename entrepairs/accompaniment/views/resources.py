"""The directory of local resources and the referrals of persons to them."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from entrepairs.core.audit import log_access
from entrepairs.core.permissions import role_required

from ..access import READERS, WRITERS, visible_person
from ..forms import ReferralForm, ResourceForm
from ..models import Referral, Resource


@role_required(*READERS)
def resource_list(request):
    """Resources of the organisation, by type; filter by type. Not person data: no audit."""
    resources = Resource.objects.visible_to(request.membership).select_related("commune")
    kind = request.GET.get("type", "")
    if kind in Resource.Kind.values:
        resources = resources.filter(kind=kind)
    return render(
        request,
        "accompaniment/resource_list.html",
        {
            "resources": resources.order_by("kind", "name"),
            "kinds": Resource.Kind.choices,
            "kind": kind,
            "can_write": request.membership.role in WRITERS,
        },
    )


@role_required(*WRITERS)
def resource_create(request):
    return _resource_form(request, Resource(organisation=request.membership.organisation))


@role_required(*WRITERS)
def resource_update(request, pk):
    resource = get_object_or_404(Resource.objects.visible_to(request.membership), pk=pk)
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


@role_required(*WRITERS)
def referral_create(request, pk):
    person = visible_person(request, pk)
    form = ReferralForm(request.POST or None, organisation=request.membership.organisation)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            referral = form.save(commit=False)
            referral.person = person
            referral.created_by = request.user
            referral.save()
            person.touch(referral.date)
            log_access(request, "create", referral)
        messages.success(request, _("L'orientation est enregistrée."))
        return redirect("accompaniment:person_detail", pk=person.pk)
    log_access(request, "view", person)
    return render(request, "accompaniment/referral_form.html", {"form": form, "person": person})


@role_required(*WRITERS)
def referral_update(request, pk):
    referral = get_object_or_404(
        Referral.objects.visible_to(request.membership).select_related("person"), pk=pk
    )
    form = ReferralForm(
        request.POST or None, instance=referral, organisation=request.membership.organisation
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            log_access(request, "update", referral)
        messages.success(request, _("L'orientation est mise à jour."))
        return redirect("accompaniment:person_detail", pk=referral.person_id)
    log_access(request, "view", referral.person)
    return render(
        request,
        "accompaniment/referral_form.html",
        {"form": form, "person": referral.person, "referral": referral},
    )
