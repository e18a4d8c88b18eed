"""Encounters (the phone screen) and accompaniment episodes."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing
from entrepairs.core.models import Action
from entrepairs.core.roles import Role
from entrepairs.workforce.access import get_current_peer_for

from ..access import (
    PEERS,
    PERSON_READERS,
    RECORD_WRITERS,
    ensure_open_record,
    get_accompaniment_for,
    get_open_record_for,
    get_own_encounter_for,
    get_person_for,
    lock_open_record,
    refuses_frozen_record,
)
from ..forms import AccompanimentForm, EncounterForm
from ..lists import EncounterFilter
from ..models import Accompaniment, ConsentPurpose, Encounter, Person

DEFAULT_DURATION = 45
ENCOUNTERS_PER_PAGE = 25


def encounters_for_display(encounters, membership, team_sharing: bool) -> list[Encounter]:
    """The encounters with ``shown_note``: their note when the note rule lets the current
    membership read it, else an empty string (templates never read ``note`` itself)."""
    encounters = list(encounters)
    for encounter in encounters:
        visible = encounter.note_visible_to(membership, team_sharing)
        encounter.shown_note = encounter.note if visible else ""
    return encounters


def encounter_caption(count: int, shown: int) -> str:
    caption = ngettext("%(n)s rencontre", "%(n)s rencontres", count) % {"n": count}
    if count > shown:
        caption += " – " + _("les %(n)s plus récentes") % {"n": shown}
    return caption


@roles_required(PERSON_READERS)
def encounter_list(request, pk):
    """Every encounter of one person, newest first, 25 per page, notes by the note rule."""
    person = get_person_for(request, pk, Person.objects.prefetch_related("consents"))
    team_sharing = person.has_consent(ConsentPurpose.TEAM_SHARING)
    encounters = Encounter.objects.filter(accompaniment__person=person).select_related("peer")
    listing = Listing(request, EncounterFilter, encounters, page_size=ENCOUNTERS_PER_PAGE)
    page = listing.page
    rows = encounters_for_display(page.object_list, request.membership, team_sharing)
    log_access(request, Action.VIEW, person)
    count = page.paginator.count
    caption = ngettext("%(n)s rencontre", "%(n)s rencontres", count) % {"n": count}
    if page.paginator.num_pages > 1:
        caption += " – " + _("page %(p)s sur %(n)s") % {
            "p": page.number,
            "n": page.paginator.num_pages,
        }
    return render(
        request,
        "accompaniment/encounter_list.html",
        {
            "person": person,
            "page": page,
            "listing": listing,
            "encounters": rows,
            "caption": caption,
            "editor_id": (
                request.user.pk
                if request.membership.role == Role.PEER and person.record_is_open
                else None
            ),
        },
    )


@roles_required(PEERS)
@refuses_frozen_record
def encounter_create(request, pk):
    """Record an encounter in one screen, prefilled with today and the peer's last habits."""
    peer = get_current_peer_for(request)
    person = get_open_record_for(request, pk)
    today = timezone.localdate()
    accompaniments = list(
        Accompaniment.objects.filter(person=person, end__isnull=True).order_by("-start", "-pk")
    )
    if not accompaniments:
        # Said before the form is filled, not after: a closed episode takes no new encounter.
        last = Accompaniment.objects.filter(person=person).order_by("-end", "-pk").first()
        if last is None:
            text = _("Aucun accompagnement : ouvrez-en un avant de noter une rencontre.")
        else:
            text = _(
                "L'accompagnement est clôturé depuis le %(end)s : ouvrez-en un nouveau "
                "pour noter une rencontre."
            ) % {"end": last.end.strftime("%d/%m/%Y")}
        messages.error(request, text)
        return redirect("accompaniment:person_detail", pk=person.pk)
    last = (
        Encounter.objects.filter(peer=peer, organisation_id=person.organisation_id)
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
        encounter = form.save(commit=False)
        encounter.peer = peer
        encounter.organisation_id = person.organisation_id
        save_encounter(request, encounter, person, Action.CREATE)
        messages.success(
            request,
            _("Rencontre du %(date)s enregistrée.") % {"date": encounter.date.strftime("%d/%m/%Y")},
        )
        return redirect("accompaniment:person_detail", pk=person.pk)
    log_access(request, Action.VIEW, person)
    return render(
        request,
        "accompaniment/encounter_form.html",
        {"form": form, "person": person, "team_sharing": form.team_sharing},
    )


def save_encounter(request, encounter, person, action) -> None:
    """Save a new or corrected encounter, move the person's last activity, log it: all or
    nothing. Without a note there is nothing to share, so the visibility goes back to private.
    A record frozen in the meantime (consent withdrawn) refuses it: ``RecordFrozen``."""
    with transaction.atomic():
        lock_open_record(person)
        if not encounter.note:
            encounter.note_visibility = Encounter.NoteVisibility.PRIVATE
        encounter.save()
        person.touch(encounter.date)
        log_access(request, action, encounter)


@roles_required(PEERS)
@refuses_frozen_record
def encounter_update(request, pk):
    """Correct an encounter: only the peer who recorded it, with the same checks as at entry."""
    encounter = get_own_encounter_for(request, pk)
    person = ensure_open_record(
        Person.objects.prefetch_related("consents").get(pk=encounter.accompaniment.person_id)
    )
    accompaniments = Accompaniment.objects.filter(person=person).filter(
        Q(end__isnull=True) | Q(pk=encounter.accompaniment_id)
    )
    form = EncounterForm(
        request.POST or None, instance=encounter, person=person, accompaniments=accompaniments
    )
    if request.method == "POST" and form.is_valid():
        encounter = form.save(commit=False)
        save_encounter(request, encounter, person, Action.UPDATE)
        messages.success(
            request,
            _("Rencontre du %(date)s modifiée.") % {"date": encounter.date.strftime("%d/%m/%Y")},
        )
        return redirect("accompaniment:person_detail", pk=person.pk)
    log_access(request, Action.VIEW, person)
    return render(
        request,
        "accompaniment/encounter_form.html",
        {
            "form": form,
            "person": person,
            "team_sharing": form.team_sharing,
            "encounter": encounter,
        },
    )


@roles_required(PEERS)
@refuses_frozen_record
def encounter_delete(request, pk):
    """Delete an encounter recorded by mistake (wrong person, never happened), after a
    confirmation. A missed or cancelled encounter is kept and marked as such instead. A
    frozen record keeps its encounters (erasure goes through closure and anonymisation)."""
    encounter = get_own_encounter_for(request, pk)
    person = ensure_open_record(encounter.accompaniment.person)
    if request.method == "POST":
        with transaction.atomic():
            lock_open_record(person)
            log_access(request, Action.DELETE, encounter)
            encounter.delete()
        messages.success(
            request,
            _("Rencontre du %(date)s supprimée.") % {"date": encounter.date.strftime("%d/%m/%Y")},
        )
        return redirect("accompaniment:person_detail", pk=person.pk)
    log_access(request, Action.VIEW, person)
    return render(
        request,
        "accompaniment/encounter_delete.html",
        {"person": person, "encounter": encounter},
    )


@roles_required(RECORD_WRITERS)
@refuses_frozen_record
def accompaniment_create(request, pk):
    """Open a new accompaniment episode for a person."""
    person = get_open_record_for(request, pk)
    initial = {"start": timezone.localdate()}
    peer = getattr(getattr(request.user, "peer_worker", None), "pk", None)
    if request.membership.role == Role.PEER and peer:
        initial["peers"] = [peer]
    form = AccompanimentForm(
        request.POST or None, initial=initial, organisation=request.membership.organisation
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            lock_open_record(person)
            accompaniment = form.save(commit=False)
            accompaniment.person = person
            accompaniment.save()
            form.save_m2m()
            person.touch(accompaniment.start)
            log_access(request, Action.CREATE, accompaniment)
        messages.success(request, _("L'accompagnement est ouvert."))
        return redirect("accompaniment:person_detail", pk=person.pk)
    log_access(request, Action.VIEW, person)
    return render(
        request, "accompaniment/accompaniment_form.html", {"form": form, "person": person}
    )


@roles_required(RECORD_WRITERS)
@refuses_frozen_record
def accompaniment_update(request, pk):
    """Change an episode: peers, facility, setting, or close it with an end date and reason."""
    accompaniment = get_accompaniment_for(request, pk)
    person = ensure_open_record(accompaniment.person)
    form = AccompanimentForm(
        request.POST or None,
        instance=accompaniment,
        organisation=request.membership.organisation,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            lock_open_record(person)
            form.save()
            log_access(request, Action.UPDATE, accompaniment)
        messages.success(request, _("L'accompagnement est mis à jour."))
        return redirect("accompaniment:person_detail", pk=person.pk)
    log_access(request, Action.VIEW, person)
    return render(
        request,
        "accompaniment/accompaniment_form.html",
        {"form": form, "person": person, "accompaniment": accompaniment},
    )
