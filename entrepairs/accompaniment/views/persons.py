"""Persons: "Mes personnes", intake, the person page, identity and consents."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing, export_response, export_url_for
from entrepairs.core.models import Action
from entrepairs.workforce.access import current_peer

from ..access import (
    PERSON_EXPORTERS,
    PERSON_READERS,
    RECORD_WRITERS,
    can_write_record,
    get_open_record_for,
    get_person_for,
    lock_open_record,
    refuses_frozen_record,
)
from ..forms import ConsentForm, PersonCreateForm, PersonUpdateForm
from ..lists import PERSON_COLUMNS, PersonFilter
from ..models import (
    Accompaniment,
    Consent,
    ConsentPurpose,
    Encounter,
    Person,
    Referral,
)
from .episodes import encounter_caption, encounters_for_display

PAGE_SIZE = 50
# The person page shows the latest encounters; the encounter list has them all.
RECENT_ENCOUNTERS = 10


def _persons(request):
    return (
        Person.objects.visible_to(request.membership)
        .select_related("commune")
        .annotate_consent(ConsentPurpose.TEAM_SHARING, "shares_with_team")
        .annotate(
            accompanied_now=Exists(
                Accompaniment.objects.filter(person=OuterRef("pk"), end__isnull=True)
            )
        )
    )


@roles_required(PERSON_READERS)
def person_list(request):
    """The persons the current membership may see, most recently active first; sortable,
    filtered (core/listing.py)."""
    listing = Listing(
        request,
        PersonFilter,
        _persons(request),
        page_size=PAGE_SIZE,
        export_url=export_url_for(request, "accompaniment:person_list_export", PERSON_EXPORTERS),
    )
    rows = list(listing.rows)
    log_access(request, Action.LIST, model=Person, ids=[p.pk for p in rows])
    return render(
        request,
        "accompaniment/person_list.html",
        {
            "page": listing.page,
            "persons": rows,
            "listing": listing,
            "can_write": _can_write(request),
        },
    )


@roles_required(PERSON_EXPORTERS)
def person_list_export(request):
    """The filtered list of persons as CSV or XLSX (``?format=``), logged as an export."""
    return export_response(
        request,
        PersonFilter,
        _persons(request),
        PERSON_COLUMNS,
        basename="personnes",
        list_url=reverse("accompaniment:person_list"),
    )


def _can_write(request) -> bool:
    return can_write_record(request.membership)


@roles_required(RECORD_WRITERS)
def person_create(request):
    """Intake: the person, their first accompaniment episode and the consents given."""
    org = request.membership.organisation
    peer = current_peer(request)
    form = PersonCreateForm(
        request.POST or None, organisation=org, membership=request.membership, peer=peer
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            person = form.save(commit=False)
            person.organisation = org
            person.created_by = request.user
            person.last_activity_on = data["start"]
            person.save()
            accompaniment = Accompaniment.objects.create(
                person=person,
                setting=data["setting"],
                facility=data["facility"],
                start=data["start"],
            )
            accompaniment.peers.set([peer] if peer else data["peers"])
            Consent.objects.bulk_create(
                Consent(
                    person=person,
                    purpose=purpose,
                    given=bool(data[f"consent_{purpose}"]),
                    means=data["consent_means"],
                    decided_on=timezone.localdate(),
                    recorded_by=request.user,
                )
                for purpose in ConsentPurpose.values
            )
            log_access(request, Action.CREATE, person)
        messages.success(request, _("La fiche de %(alias)s est créée.") % {"alias": person.alias})
        return redirect("accompaniment:person_detail", pk=person.pk)
    return render(request, "accompaniment/person_form.html", {"form": form, "creating": True})


@roles_required(PERSON_READERS)
def person_detail(request, pk):
    """Everything the current membership may see about one person, notes by the note rule."""
    membership = request.membership
    person = get_person_for(
        request,
        pk,
        Person.objects.select_related("commune", "recovery_plan").prefetch_related(
            Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")),
            Prefetch(
                "accompaniments",
                queryset=Accompaniment.objects.select_related("facility").prefetch_related("peers"),
            ),
            Prefetch("referrals", queryset=Referral.objects.select_related("resource")),
        ),
    )
    consents = person.current_consents()
    team_sharing = person.has_consent(ConsentPurpose.TEAM_SHARING)
    encounters_qs = Encounter.objects.filter(accompaniment__person=person)
    encounters = encounters_for_display(
        encounters_qs.select_related("peer")[:RECENT_ENCOUNTERS], membership, team_sharing
    )
    encounter_count = encounters_qs.count()
    plan = getattr(person, "recovery_plan", None)
    record_open = person.record_is_open
    log_access(request, Action.VIEW, person)
    return render(
        request,
        "accompaniment/person_detail.html",
        {
            "person": person,
            "consents": [(p, ConsentPurpose(p).label, c) for p, c in consents.items()],
            "consent_history": sorted(
                person.consents.all(), key=lambda c: (c.recorded_at, c.pk), reverse=True
            ),
            "team_sharing": team_sharing,
            "record_withdrawal": None if record_open else person.record_withdrawal(),
            "record_open": record_open,
            "contact": person.visible_contact,
            "encounters": encounters,
            "encounter_count": encounter_count,
            "encounter_caption": encounter_caption(encounter_count, len(encounters)),
            "plan": plan,
            "plan_domains": plan.domain_overview() if plan else [],
            "can_write": _can_write(request),
            # What extends or changes the record (a frozen record is read-only).
            "can_extend": record_open and _can_write(request),
            "is_peer": membership.role == "peer" and record_open,
            "open_accompaniment": next(
                (a for a in person.accompaniments.all() if a.end is None), None
            ),
            "last_end": max((a.end for a in person.accompaniments.all() if a.end), default=None),
            "editor_id": request.user.pk if membership.role == "peer" and record_open else None,
        },
    )


@roles_required(RECORD_WRITERS)
@refuses_frozen_record
def person_update(request, pk):
    person = get_open_record_for(request, pk)
    form = PersonUpdateForm(
        request.POST or None, instance=person, organisation=request.membership.organisation
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            lock_open_record(person)
            form.save()
            log_access(request, Action.UPDATE, person)
        messages.success(request, _("La fiche est mise à jour."))
        return redirect("accompaniment:person_detail", pk=person.pk)
    log_access(request, Action.VIEW, person)
    return render(request, "accompaniment/person_form.html", {"form": form, "person": person})


@roles_required(RECORD_WRITERS)
def consent_record(request, pk):
    """Give or withdraw one consent; the new decision is in force as soon as it is saved.
    Always open, frozen record included: the person's decisions are never refused."""
    person = get_person_for(request, pk, Person.objects.prefetch_related("consents"))
    initial = {"purpose": request.GET.get("finalite", ""), "given": request.GET.get("accord")}
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            consent = Consent.decide(
                person,
                data["purpose"],
                data["given"],
                data["means"],
                decided_on=data["decided_on"],
                recorded_by=request.user,
            )
            log_access(request, Action.CREATE, consent)
        if consent.given:
            text = _("Accord enregistré : %(purpose)s.")
        else:
            text = _("Retrait enregistré : %(purpose)s. Il s'applique dès maintenant.")
        messages.success(request, text % {"purpose": consent.get_purpose_display()})
        return redirect("accompaniment:person_detail", pk=person.pk)
    log_access(request, Action.VIEW, person)
    return render(
        request,
        "accompaniment/consent_form.html",
        {
            "form": form,
            "person": person,
            "consents": [
                (p, ConsentPurpose(p).label, c) for p, c in person.current_consents().items()
            ],
        },
    )
