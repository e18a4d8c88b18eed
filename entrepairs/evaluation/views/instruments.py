"""Instrument catalogue, FHIR download and FHIR import."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.listing import Listing
from entrepairs.core.roles import Role

from ..access import (
    INSTRUMENT_IMPORTERS,
    INSTRUMENT_READERS,
    get_instrument_version_for,
    instrument_versions_for,
)
from ..definitions import InstrumentDefinitionError
from ..fhir import from_questionnaire, to_questionnaire
from ..forms import FhirImportForm
from ..lists import InstrumentFilter
from ..models import InstrumentVersion
from ..publishing import publish
from ..scoring import scale_range


@roles_required(INSTRUMENT_READERS)
def instrument_list(request):
    listing = Listing(request, InstrumentFilter, instrument_versions_for(request.membership))
    return render(
        request,
        "evaluation/instrument_list.html",
        {"versions": listing.rows, "page": listing.page, "listing": listing},
    )


@roles_required(INSTRUMENT_READERS)
def instrument_detail(request, pk):
    version = get_instrument_version_for(request, pk)
    definition = version.definition
    # Questions are named by their number on the page, never by their internal code.
    numbers = {item["code"]: n for n, item in enumerate(definition["items"], 1)}
    scales = [
        {
            **scale,
            "range": scale_range(definition, scale),
            "numbers": [str(numbers.get(code, "?")) for code in scale["items"]],
            "all_items": set(scale["items"]) >= set(numbers),
        }
        for scale in definition["scales"]
    ]
    return render(
        request,
        "evaluation/instrument_detail.html",
        {"version": version, "definition": definition, "scales": scales},
    )


@roles_required(INSTRUMENT_IMPORTERS)
def instrument_fhir(request, pk):
    version = get_instrument_version_for(request, pk)
    payload = json.dumps(to_questionnaire(version.definition), ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/fhir+json; charset=utf-8")
    filename = f"{version.instrument.code}-v{version.version}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@roles_required(INSTRUMENT_IMPORTERS)
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
