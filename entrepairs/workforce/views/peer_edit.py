"""Creating and editing a peer worker (coordinators and directors of the organisation).

The employer's managers edit the whole record; a host organisation's managers only their side
(see ``peer_forms``)."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.workforce.models import PeerWorker
from entrepairs.workforce.peer_forms import PeerWorkerForm

from ..access import MANAGERS, get_dossier_peer_for


def _save(request, form, action):
    """Save everything or nothing; warn (without blocking) about a likely duplicate."""
    try:
        with transaction.atomic():
            peer = form.save()
            log_access(request, action, peer)
    except IntegrityError:
        user = form.cleaned_data.get("user")
        others = PeerWorker.objects.filter(user=user).exclude(pk=form.instance.pk)
        if user is None or not others.exists():
            raise
        # Another request linked the same account in the meantime.
        form.add_error("user", _("Ce compte est déjà relié à un·e autre pair-aidant·e."))
        return None
    messages.success(request, _("Pair-aidant·e enregistré·e."))
    duplicates = len(form.likely_duplicates(peer)) if form.is_employer else 0
    if duplicates:
        messages.warning(
            request,
            _(
                "Attention : %(n)s autre(s) pair-aidant·e(s) de votre organisation porte(nt) "
                "déjà le nom « %(name)s ». Vérifiez qu'il ne s'agit pas d'un doublon."
            )
            % {"n": duplicates, "name": peer},
        )
    return redirect("workforce:peer_detail", pk=peer.pk)


@roles_required(MANAGERS)
def peer_create(request):
    form = PeerWorkerForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, Action.CREATE)
        if response:
            return response
    return render(request, "workforce/peer_form.html", {"form": form})


@roles_required(MANAGERS)
def peer_update(request, pk):
    peer = get_dossier_peer_for(request, pk)
    name = str(peer)  # the form changes the instance in place while validating
    form = PeerWorkerForm(request.POST or None, instance=peer, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, Action.UPDATE)
        if response:
            return response
    log_access(request, Action.VIEW, peer)
    return render(request, "workforce/peer_form.html", {"form": form, "peer": peer, "name": name})
