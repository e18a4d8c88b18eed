"""Contracts: history per peer, lists, contracts ending soon, salary grids."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing, export_response, export_url_for
from entrepairs.core.models import Action
from entrepairs.workforce.forms import ContractForm
from entrepairs.workforce.models import Contract, SalaryGrid, SalaryStep
from entrepairs.workforce.models.contracts import ENDING_SOON_DAYS

from ..access import (
    DOSSIER_READERS,
    MANAGERS,
    WORKFORCE_EXPORTERS,
    contracts_for,
    get_contract_for,
    get_dossier_peer_for,
    get_own_contract_for,
)
from ..lists import CONTRACT_COLUMNS, ContractFilter


@roles_required(MANAGERS)
def contract_list(request):
    listing = Listing(
        request,
        ContractFilter,
        contracts_for(request.membership),
        export_url=export_url_for(request, "workforce:contract_list_export", WORKFORCE_EXPORTERS),
    )
    page = listing.page
    log_access(request, Action.LIST, page.object_list, model=Contract)
    return render(request, "workforce/contract_list.html", {"page": page, "listing": listing})


@roles_required(WORKFORCE_EXPORTERS)
def contract_list_export(request):
    return export_response(
        request,
        ContractFilter,
        contracts_for(request.membership),
        CONTRACT_COLUMNS,
        basename="contrats",
        list_url=reverse("workforce:contract_list"),
    )


@roles_required(MANAGERS)
def contracts_ending(request):
    """Contracts ending within 90 days: to renew, make permanent, or prepare a departure."""
    contracts = list(contracts_for(request.membership).ending_within().order_by("end", "pk"))
    log_access(request, Action.LIST, contracts, model=Contract)
    return render(
        request,
        "workforce/contracts_ending.html",
        {"contracts": contracts, "days": ENDING_SOON_DAYS},
    )


@roles_required(DOSSIER_READERS)
def contract_detail(request, pk):
    contract = get_contract_for(request, pk)
    log_access(request, Action.VIEW, contract)
    can_edit = (
        request.membership.role in MANAGERS
        and contract.employer_id == request.membership.organisation_id
    )
    return render(
        request, "workforce/contract_detail.html", {"contract": contract, "can_edit": can_edit}
    )


def _save_contract(request, form, action):
    with transaction.atomic():
        contract = form.save()
        log_access(request, action, contract)
    messages.success(request, _("Contrat enregistré."))
    return redirect("workforce:peer_detail", pk=contract.peer_id)


@roles_required(MANAGERS)
def contract_create(request, peer_pk):
    peer = get_dossier_peer_for(request, peer_pk)
    form = ContractForm(request.POST or None, peer=peer, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        return _save_contract(request, form, Action.CREATE)
    return render(request, "workforce/contract_form.html", {"form": form, "peer": peer})


@roles_required(MANAGERS)
def contract_update(request, pk):
    contract = get_own_contract_for(request, pk)
    form = ContractForm(
        request.POST or None, instance=contract, peer=contract.peer, membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        return _save_contract(request, form, Action.UPDATE)
    log_access(request, Action.VIEW, contract)
    return render(
        request,
        "workforce/contract_form.html",
        {"form": form, "peer": contract.peer, "contract": contract},
    )


@roles_required(MANAGERS)
def salary_grids(request):
    grids = SalaryGrid.objects.usable_by(request.membership.organisation_id).prefetch_related(
        Prefetch("steps", queryset=SalaryStep.objects.order_by("order"))
    )
    return render(request, "workforce/salary_grids.html", {"grids": grids})
