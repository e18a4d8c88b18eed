"""Instrument catalogue, FHIR download and FHIR import."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from entrepairs.accounts.roles import Role
from entrepairs.core.permissions import role_required

from ..definitions import InstrumentDefinitionError
from ..fhir import from_questionnaire, to_questionnaire
from ..forms import FhirImportForm
from ..models import InstrumentVersion
from ..publishing import publish
from ..scoring import scale_range


def _versions(request):
    return (
        InstrumentVersion.objects.visible_to(request.membership)
        .published()
        .select_related("instrument")
    )


@role_required(Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN)
def instrument_list(request):
    versions = _versions(request).order_by("title", "-published_at")
    return render(request, "evaluation/instrument_list.html", {"versions": versions})


@role_required(Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN)
def instrument_detail(request, pk):
    version = get_object_or_404(_versions(request), pk=pk)
    definition = version.definition
    scales = [{**scale, "range": scale_range(definition, scale)} for scale in definition["scales"]]
    return render(
        request,
        "evaluation/instrument_detail.html",
        {"version": version, "definition": definition, "scales": scales},
    )


@role_required(Role.COORDINATOR, Role.ADMIN)
def instrument_fhir(request, pk):
    version = get_object_or_404(_versions(request), pk=pk)
    payload = json.dumps(to_questionnaire(version.definition), ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/fhir+json; charset=utf-8")
    filename = f"{version.instrument.code}-v{version.version}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(Role.COORDINATOR, Role.ADMIN)
def instrument_import(request):
    form = FhirImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            definition = from_questionnaire(form.cleaned_data["file"].read())
            organisation = (
                None if request.membership.role == Role.ADMIN else request.membership.organisation
            )
            version, created = publish(
                definition, origin=InstrumentVersion.Origin.FHIR, organisation=organisation
            )
        except InstrumentDefinitionError as exc:
            form.add_error("file", _("Questionnaire refusé : %(reason)s") % {"reason": exc})
        else:
            if created:
                messages.success(request, _("Questionnaire importé et publié."))
            else:
                messages.info(request, _("Ce questionnaire était déjà importé à l'identique."))
            return redirect("evaluation:instrument_detail", pk=version.pk)
    return render(request, "evaluation/instrument_import.html", {"form": form})
