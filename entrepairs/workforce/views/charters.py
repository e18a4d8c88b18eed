"""Mission charters: written by the coordinator, signed in turn, immutable once signed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing, export_response, export_url_for
from entrepairs.core.models import Action
from entrepairs.core.roles import Role
from entrepairs.workforce.forms import MissionCharterForm
from entrepairs.workforce.models import MissionCharter, SignedCharterError
from entrepairs.workforce.pdf import charter_pdf

from ..access import (
    CHARTER_SIGNERS,
    COORDINATORS,
    ORGANISATION_READERS,
    WORKFORCE_EXPORTERS,
    charters_for,
    get_charter_for,
    get_dossier_peer_for,
    get_own_charter_for,
)
from ..lists import CHARTER_COLUMNS, CharterFilter


@roles_required(ORGANISATION_READERS)
def charter_list(request):
    listing = Listing(
        request,
        CharterFilter,
        charters_for(request.membership),
        export_url=export_url_for(request, "workforce:charter_list_export", WORKFORCE_EXPORTERS),
    )
    page = listing.page
    log_access(request, Action.LIST, page.object_list, model=MissionCharter)
    return render(request, "workforce/charter_list.html", {"page": page, "listing": listing})


@roles_required(WORKFORCE_EXPORTERS)
def charter_list_export(request):
    return export_response(
        request,
        CharterFilter,
        charters_for(request.membership),
        CHARTER_COLUMNS,
        basename="fiches-de-mission",
        list_url=reverse("workforce:charter_list"),
    )


@roles_required(COORDINATORS)
def charter_create(request, peer_pk):
    peer = get_dossier_peer_for(request, peer_pk)
    form = MissionCharterForm(request.POST or None, peer=peer, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            charter = form.save(commit=False)
            latest = MissionCharter.objects.filter(peer=peer, facility=charter.facility).aggregate(
                v=Max("version")
            )["v"]
            charter.version = (latest or 0) + 1
            charter.created_by = request.user
            charter.save()
            log_access(request, Action.CREATE, charter)
        messages.success(request, _("Fiche de mission créée : elle peut maintenant être signée."))
        return redirect("workforce:charter_detail", pk=charter.pk)
    return render(request, "workforce/charter_form.html", {"form": form, "peer": peer})


@roles_required(COORDINATORS)
def charter_update(request, pk):
    charter = get_own_charter_for(request, pk)
    if charter.signatures.all():
        messages.error(
            request,
            _(
                "Cette fiche de mission a déjà été signée : elle ne peut plus être modifiée. "
                "Créez une nouvelle version."
            ),
        )
        return redirect("workforce:charter_detail", pk=charter.pk)
    form = MissionCharterForm(
        request.POST or None, instance=charter, peer=charter.peer, membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
                log_access(request, Action.UPDATE, charter)
        except SignedCharterError as exc:  # signed meanwhile
            messages.error(request, exc.args[0])
            return redirect("workforce:charter_detail", pk=charter.pk)
        messages.success(request, _("Fiche de mission modifiée."))
        return redirect("workforce:charter_detail", pk=charter.pk)
    log_access(request, Action.VIEW, charter)
    return render(
        request,
        "workforce/charter_form.html",
        {"form": form, "peer": charter.peer, "charter": charter},
    )


@roles_required(ORGANISATION_READERS)
def charter_detail(request, pk):
    charter = get_charter_for(request, pk)
    membership = request.membership
    party = charter.party_for(membership)
    signatures = {s.party: s for s in charter.signatures.all()}
    next_party = next((p for p in charter.SIGNING_ORDER if p not in signatures), None)
    steps = [
        {"party": p, "label": MissionCharter.Party(p).label, "signature": signatures.get(p)}
        for p in charter.SIGNING_ORDER
    ]
    context = {
        "charter": charter,
        "steps": steps,
        "can_sign": party is not None and party == next_party,
        "my_party": party,
        "already_signed": party in signatures,
        "next_party_label": MissionCharter.Party(next_party).label if next_party else "",
        "is_coordinator": membership.role == Role.COORDINATOR
        and charter.facility.organisation_id == membership.organisation_id,
        "has_next_version": hasattr(charter, "next_version"),
    }
    log_access(request, Action.VIEW, charter)
    return render(request, "workforce/charter_detail.html", context)


@require_POST
@roles_required(CHARTER_SIGNERS)
def charter_sign(request, pk):
    charter = get_charter_for(request, pk)
    try:
        with transaction.atomic():
            charter.sign(request.membership)
            log_access(request, Action.UPDATE, charter)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    except SignedCharterError as exc:
        messages.error(request, exc.args[0])
    else:
        if charter.is_fully_signed:
            messages.success(request, _("Fiche de mission signée par les trois parties."))
        else:
            messages.success(request, _("Votre signature est enregistrée."))
    return redirect("workforce:charter_detail", pk=charter.pk)


@require_POST
@roles_required(COORDINATORS)
def charter_new_version(request, pk):
    charter = get_own_charter_for(request, pk)
    try:
        with transaction.atomic():
            copy = charter.new_version(request.user)
            log_access(request, Action.CREATE, copy)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("workforce:charter_detail", pk=charter.pk)
    messages.success(
        request, _("Nouvelle version créée, non signée : modifiez-la puis faites-la signer.")
    )
    return redirect("workforce:charter_update", pk=copy.pk)


@roles_required(ORGANISATION_READERS)
def charter_print(request, pk):
    charter = get_charter_for(request, pk)
    log_access(request, Action.EXPORT, charter)
    signatures = {s.party: s for s in charter.signatures.all()}
    steps = [
        {"label": MissionCharter.Party(p).label, "signature": signatures.get(p)}
        for p in charter.SIGNING_ORDER
    ]
    return render(request, "workforce/charter_print.html", {"charter": charter, "steps": steps})


@roles_required(ORGANISATION_READERS)
def charter_pdf_view(request, pk):
    charter = get_charter_for(request, pk)
    log_access(request, Action.EXPORT, charter)
    response = HttpResponse(charter_pdf(charter), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="fiche-de-mission-{charter.pk}-v{charter.version}.pdf"'
    )
    return response
