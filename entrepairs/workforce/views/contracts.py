"""Contracts: history per peer, lists, contracts ending soon, salary grids."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from entrepairs.core.audit import log_access
from entrepairs.core.permissions import role_required
from entrepairs.workforce.forms import ContractForm
from entrepairs.workforce.models import Contract, SalaryGrid, SalaryStep
from entrepairs.workforce.models.contracts import ENDING_SOON_DAYS

from .common import DOSSIER_READERS, MANAGERS, dossier_peer, paginate


def _contracts(membership):
    return Contract.objects.visible_to(membership).select_related("peer", "employer", "grade__grid")


@role_required(*MANAGERS)
def contract_list(request):
    page = paginate(request, _contracts(request.membership).order_by("-start", "-pk"))
    log_access(request, "list", page.object_list, model=Contract)
    return render(request, "workforce/contract_list.html", {"page": page})


@role_required(*MANAGERS)
def contracts_ending(request):
    """Contracts ending within 90 days: to renew, make permanent, or prepare a departure."""
    contracts = list(_contracts(request.membership).ending_within().order_by("end", "pk"))
    log_access(request, "list", contracts, model=Contract)
    return render(
        request,
        "workforce/contracts_ending.html",
        {"contracts": contracts, "days": ENDING_SOON_DAYS},
    )


@role_required(*DOSSIER_READERS)
def contract_detail(request, pk):
    contract = get_object_or_404(_contracts(request.membership), pk=pk)
    log_access(request, "view", contract)
    return render(request, "workforce/contract_detail.html", {"contract": contract})


def _save_contract(request, form, action):
    with transaction.atomic():
        contract = form.save()
    log_access(request, action, contract)
    messages.success(request, _("Contrat enregistré."))
    return redirect("workforce:peer_detail", pk=contract.peer_id)


@role_required(*MANAGERS)
def contract_create(request, peer_pk):
    peer = dossier_peer(request, peer_pk)
    form = ContractForm(request.POST or None, peer=peer, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        return _save_contract(request, form, "create")
    return render(request, "workforce/contract_form.html", {"form": form, "peer": peer})


@role_required(*MANAGERS)
def contract_update(request, pk):
    contract = get_object_or_404(_contracts(request.membership), pk=pk)
    form = ContractForm(
        request.POST or None, instance=contract, peer=contract.peer, membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        return _save_contract(request, form, "update")
    log_access(request, "view", contract)
    return render(
        request,
        "workforce/contract_form.html",
        {"form": form, "peer": contract.peer, "contract": contract},
    )


@role_required(*MANAGERS)
def salary_grids(request):
    grids = SalaryGrid.objects.usable_by(request.membership.organisation_id).prefetch_related(
        Prefetch("steps", queryset=SalaryStep.objects.order_by("order"))
    )
    return render(request, "workforce/salary_grids.html", {"grids": grids})
