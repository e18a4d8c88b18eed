"""Encounters (the phone screen) and accompaniment episodes."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.accounts.roles import Role
from entrepairs.core.audit import log_access
from entrepairs.core.permissions import role_required

from ..access import WRITERS, require_peer, visible_person
from ..forms import AccompanimentForm, EncounterForm
from ..models import Accompaniment, Encounter, Person

DEFAULT_DURATION = 45


@role_required(Role.PEER)
def encounter_create(request, pk):
    """Record an encounter in one screen, prefilled with today and the peer's last habits."""
    peer = require_peer(request)
    person = visible_person(request, pk, Person.objects.prefetch_related("consents"))
    today = timezone.localdate()
    accompaniments = list(
        Accompaniment.objects.filter(person=person, end__isnull=True).order_by("-start", "-pk")
    ) or list(Accompaniment.objects.filter(person=person).order_by("-start", "-pk")[:1])
    if not accompaniments:
        messages.error(
            request, _("Aucun accompagnement : ouvrez-en un avant de noter une rencontre.")
        )
        return redirect("accompaniment:person_detail", pk=person.pk)
    last = (
        Encounter.objects.filter(peer=peer)
        .order_by("-date", "-pk")
        .values("place", "duration_minutes", "mode")
        .first()
    ) or {}
    initial = {
        "accompaniment": accompaniments[0].pk,
        "date": today,
        "duration_minutes": last.get("duration_minutes", DEFAULT_DURATION),
        "mode": last.get("mode", Encounter.Mode.IN_PERSON),
        "place": last.get("place", ""),
        "outcome": Encounter.Outcome.HELD,
        "note_visibility": Encounter.NoteVisibility.PRIVATE,
    }
    form = EncounterForm(
        request.POST or None,
        initial=initial,
        person=person,
        accompaniments=Accompaniment.objects.filter(pk__in=[a.pk for a in accompaniments]),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            encounter = form.save(commit=False)
            encounter.peer = peer
            if not encounter.note:
                encounter.note_visibility = Encounter.NoteVisibility.PRIVATE
            encounter.save()
            person.touch(encounter.date)
            log_access(request, "create", encounter)
        messages.success(
            request,
            _("Rencontre du %(date)s enregistrée.") % {"date": encounter.date.strftime("%d/%m/%Y")},
        )
        return redirect("accompaniment:person_detail", pk=person.pk)
    log_access(request, "view", person)
    return render(
        request,
        "accompaniment/encounter_form.html",
        {"form": form, "person": person, "team_sharing": form.team_sharing},
    )


@role_required(*WRITERS)
def accompaniment_create(request, pk):
    """Open a new accompaniment episode for a person."""
    person = visible_person(request, pk)
    initial = {"start": timezone.localdate()}
    peer = getattr(getattr(request.user, "peer_worker", None), "pk", None)
    if request.membership.role == Role.PEER and peer:
        initial["peers"] = [peer]
    form = AccompanimentForm(
        request.POST or None, initial=initial, organisation=request.membership.organisation
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            accompaniment = form.save(commit=False)
            accompaniment.person = person
            accompaniment.save()
            form.save_m2m()
            person.touch(accompaniment.start)
            log_access(request, "create", accompaniment)
        messages.success(request, _("L'accompagnement est ouvert."))
        return redirect("accompaniment:person_detail", pk=person.pk)
    log_access(request, "view", person)
    return render(
        request, "accompaniment/accompaniment_form.html", {"form": form, "person": person}
    )


@role_required(*WRITERS)
def accompaniment_update(request, pk):
    """Change an episode: peers, facility, setting, or close it with an end date and reason."""
    accompaniment = get_object_or_404(
        Accompaniment.objects.visible_to(request.membership).select_related("person"), pk=pk
    )
    person = accompaniment.person
    form = AccompanimentForm(
        request.POST or None,
        instance=accompaniment,
        organisation=request.membership.organisation,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            log_access(request, "update", accompaniment)
        messages.success(request, _("L'accompagnement est mis à jour."))
        return redirect("accompaniment:person_detail", pk=person.pk)
    log_access(request, "view", person)
    return render(
        request,
        "accompaniment/accompaniment_form.html",
        {"form": form, "person": person, "accompaniment": accompaniment},
    )
