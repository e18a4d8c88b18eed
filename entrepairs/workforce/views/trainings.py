"""Trainings and qualifications; certificates stored outside the web root."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing, export_response, export_url_for
from entrepairs.core.models import Action
from entrepairs.workforce.forms import CERTIFICATE_TYPES, TrainingForm
from entrepairs.workforce.models import Training

from ..access import (
    DOSSIER_READERS,
    MANAGERS,
    WORKFORCE_EXPORTERS,
    get_dossier_peer_for,
    get_training_for,
    trainings_for,
)
from ..lists import TRAINING_COLUMNS, TrainingFilter

CERTIFICATE_DIR = "certificates"


def _certificate_file(training) -> Path:
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / training.certificate_path).resolve()
    if root not in path.parents:  # never serve anything outside the private root
        raise Http404
    return path


def _store_certificate(training, upload):
    """Write the upload under PRIVATE_MEDIA_ROOT with a random name; return the old file."""
    old = _certificate_file(training) if training.certificate_path else None
    relative = f"{CERTIFICATE_DIR}/{uuid.uuid4().hex}.{CERTIFICATE_TYPES[upload.detected_mime]}"
    target = Path(settings.PRIVATE_MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    training.certificate_path = relative
    training.certificate_mime = upload.detected_mime
    training.certificate_name = Path(upload.name).name[:200]
    return old, target


def _save(request, form, action):
    upload = form.cleaned_data.get("certificate")
    training = form.instance
    written = old = None
    try:
        with transaction.atomic():
            if upload:
                old, written = _store_certificate(training, upload)
            training = form.save()
            log_access(request, action, training)
    except Exception:
        if written:
            written.unlink(missing_ok=True)
        raise
    if old and old.exists():
        old.unlink()
    messages.success(request, _("Formation enregistrée."))
    return redirect("workforce:peer_detail", pk=training.peer_id)


@roles_required(MANAGERS)
def training_list(request):
    listing = Listing(
        request,
        TrainingFilter,
        trainings_for(request.membership),
        export_url=export_url_for(request, "workforce:training_list_export", WORKFORCE_EXPORTERS),
    )
    page = listing.page
    log_access(request, Action.LIST, page.object_list, model=Training)
    return render(request, "workforce/training_list.html", {"page": page, "listing": listing})


@roles_required(WORKFORCE_EXPORTERS)
def training_list_export(request):
    return export_response(
        request,
        TrainingFilter,
        trainings_for(request.membership),
        TRAINING_COLUMNS,
        basename="formations",
        list_url=reverse("workforce:training_list"),
    )


@roles_required(DOSSIER_READERS)
def training_create(request, peer_pk):
    peer = get_dossier_peer_for(request, peer_pk)
    form = TrainingForm(request.POST or None, request.FILES or None, peer=peer)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, Action.CREATE)
    return render(request, "workforce/training_form.html", {"form": form, "peer": peer})


@roles_required(DOSSIER_READERS)
def training_update(request, pk):
    training = get_training_for(request, pk)
    form = TrainingForm(
        request.POST or None, request.FILES or None, instance=training, peer=training.peer
    )
    if request.method == "POST" and form.is_valid():
        return _save(request, form, Action.UPDATE)
    log_access(request, Action.VIEW, training)
    return render(
        request,
        "workforce/training_form.html",
        {"form": form, "peer": training.peer, "training": training},
    )


@roles_required(DOSSIER_READERS)
def certificate(request, pk):
    """Serve a certificate to those who may read the dossier, and log the access."""
    training = get_training_for(request, pk)
    if not training.certificate_path:
        raise Http404
    path = _certificate_file(training)
    if not path.is_file():
        raise Http404
    log_access(request, Action.VIEW, training)
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 closed by FileResponse
        content_type=training.certificate_mime,
        as_attachment=True,
        filename=training.certificate_name or path.name,
    )
    response["Cache-Control"] = "private, no-store"
    return response
