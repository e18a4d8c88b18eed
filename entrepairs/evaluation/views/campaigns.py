"""Campaigns and their invitations (coordinators create campaigns; peers print invitations)."""

import json
import uuid

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from entrepairs.accompaniment.models import Person
from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing
from entrepairs.core.models import Action
from entrepairs.core.roles import Role

from ..access import CAMPAIGN_RUNNERS, COORDINATORS, get_campaign_for
from ..campaigns import due_invitations
from ..fhir import responses_bundle, to_questionnaire_response
from ..forms import AnonymousBatchForm, CampaignForm
from ..lists import CampaignFilter
from ..models import AnonymousResponse, Campaign, Invitation, LinkedResponse
from ..pool import batch_size, enqueue_flush, pending_count
from ..qr import qr_svg


@roles_required(CAMPAIGN_RUNNERS)
def campaign_list(request):
    campaigns = (
        Campaign.objects.visible_to(request.membership)
        .select_related("instrument_version", "facility")
        .annotate(
            issued=Count("invitations"),
            used=Count("invitations", filter=Q(invitations__is_used=True)),
        )
    )
    listing = Listing(request, CampaignFilter, campaigns)
    return render(
        request,
        "evaluation/campaign_list.html",
        {"campaigns": listing.rows, "page": listing.page, "listing": listing},
    )


@roles_required(COORDINATORS)
def campaign_create(request):
    form = CampaignForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.organisation = request.membership.organisation
        campaign.audience = campaign.instrument_version.audience
        campaign.created_by = request.user
        campaign.save()
        messages.success(request, _("Campagne créée."))
        return redirect("evaluation:campaign_detail", pk=campaign.pk)
    return render(request, "evaluation/campaign_form.html", {"form": form})


@roles_required(CAMPAIGN_RUNNERS)
def campaign_detail(request, pk):
    campaign = get_campaign_for(request, pk)
    due = [] if campaign.is_closed else due_invitations(campaign, request.membership)
    if due:
        log_access(request, Action.LIST, [d["person"] for d in due])
    invitations = Invitation.objects.visible_to(request.membership).filter(campaign=campaign)
    now = timezone.now()
    counts = invitations.aggregate(
        issued=Count("pk"),
        used=Count("pk", filter=Q(is_used=True)),
        revoked=Count("pk", filter=Q(is_used=False, revoked_at__isnull=False)),
        pending=Count("pk", filter=Q(is_used=False, revoked_at__isnull=True, expires_at__gt=now)),
    )
    if campaign.is_closed:
        counts["pending"] = 0  # its links no longer work
    return render(
        request,
        "evaluation/campaign_detail.html",
        {
            "campaign": campaign,
            "due": due,
            "counts": counts,
            "batch_form": AnonymousBatchForm(campaign=campaign),
            **_completed_counts(request, campaign),
            "sheets": [] if campaign.is_closed else pending_sheets(request, campaign),
            "waiting": 0 if campaign.is_linked else pending_count(campaign),
            "batch_size": batch_size(),
        },
    )


def _completed_counts(request, campaign) -> dict:
    """The filled questionnaires of a linked campaign, with those that came without any
    invitation of the platform (entered or taken over from elsewhere): the page says so, so
    that "0 invitations" next to "20 filled" is explained rather than contradictory."""
    answers = (
        LinkedResponse.objects.visible_to(request.membership).filter(campaign=campaign).in_use()
    )
    return answers.aggregate(
        completed=Count("pk"), without_invitation=Count("pk", filter=Q(invitation__isnull=True))
    )


def _sheet_entry(request, invitation, token):
    url = request.build_absolute_uri(reverse("evaluation:answer", args=[token]))
    timepoint_label = ""
    if invitation.person_id:
        labels = dict(Campaign.Timepoint.choices)
        timepoint_label = labels.get(invitation.timepoint, invitation.timepoint)
    return {
        "url": url,
        "qr": qr_svg(url, _("Code QR à scanner pour répondre au questionnaire")),
        "person": invitation.person,
        "timepoint_label": timepoint_label,
        "expires_at": invitation.expires_at,
    }


def reprintable_invitations(request, campaign):
    """The invitations of ``campaign`` this user may print again: still waiting for an
    answer, and visible to them (a peer: the persons they accompany, and the anonymous
    sheets they printed themselves; a coordinator: the whole organisation's)."""
    invitations = (
        Invitation.objects.visible_to(request.membership)
        .filter(campaign=campaign)
        .pending()
        .select_related("person")
    )
    if request.membership.role != Role.COORDINATOR:
        invitations = invitations.filter(Q(person__isnull=False) | Q(created_by=request.user))
    return invitations


def pending_sheets(request, campaign) -> list[dict]:
    """The sheets (invitations issued together) that still have a link waiting."""
    sheets = (
        reprintable_invitations(request, campaign)
        .exclude(batch__isnull=True)
        .values("batch")
        .annotate(count=Count("pk"), issued_at=Min("created_at"), expires_at=Max("expires_at"))
        .order_by("-issued_at")
    )
    return list(sheets)


def _due_chosen(request, campaign):
    wanted = set(request.POST.getlist("due"))
    return [d for d in due_invitations(campaign, request.membership) if d["key"] in wanted]


@roles_required(COORDINATORS)
@require_http_methods(["GET", "POST"])
def campaign_close(request, pk):
    """Close a running campaign: GET asks for confirmation, POST closes. Its links then show
    "questionnaire terminé" and save nothing; the answers already given are kept, and those
    still waiting for their batch go into the results (task enqueued after the commit)."""
    campaign = get_campaign_for(request, pk)
    if campaign.is_closed:
        messages.info(request, _("Cette campagne est déjà close."))
        return redirect("evaluation:campaign_detail", pk=campaign.pk)
    if request.method == "POST":
        with transaction.atomic():
            locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
            if locked.closed_at is None:
                locked.closed_at = timezone.now()
                locked.save(update_fields=["closed_at"])
                if not locked.is_linked:
                    transaction.on_commit(enqueue_flush)
            log_access(request, Action.UPDATE, locked)
        messages.success(request, _("Campagne close : ses liens ne permettent plus de répondre."))
        return redirect("evaluation:campaign_detail", pk=campaign.pk)
    pending = Invitation.objects.filter(campaign=campaign).pending().count()
    return render(
        request, "evaluation/campaign_close.html", {"campaign": campaign, "pending": pending}
    )


@roles_required(CAMPAIGN_RUNNERS)
@require_POST
def campaign_invitations(request, pk):
    """Issue invitations, then show their sheet at its own address (``invitation_sheet``):
    reloading it prints the same links again, it never issues new ones. A linked campaign
    asks first for a confirmation that gives the number of invitations."""
    campaign = get_campaign_for(request, pk)
    if campaign.is_closed:
        messages.error(request, _("Cette campagne est close : aucune invitation n'a été créée."))
        return redirect("evaluation:campaign_detail", pk=campaign.pk)
    batch = uuid.uuid4()
    if campaign.is_linked:
        due = _due_chosen(request, campaign)
        if not due:
            messages.error(
                request, _("Choisissez au moins une personne à inviter : rien n'a été créé.")
            )
            return redirect("evaluation:campaign_detail", pk=campaign.pk)
        if request.POST.get("confirm") != "1":
            log_access(request, Action.LIST, [d["person"] for d in due])
            return render(
                request,
                "evaluation/invitation_confirm.html",
                {"campaign": campaign, "due": due},
            )
        with transaction.atomic():
            # Lock the persons as ``Consent.decide`` does, then check again: a withdrawal
            # saved since the list was computed leaves that person out.
            wanted_ids = {d["person"].pk for d in due}
            list(Person.objects.select_for_update().filter(pk__in=wanted_ids).values("pk"))
            still = set(
                Person.objects.evaluable().filter(pk__in=wanted_ids).values_list("pk", flat=True)
            )
            due = [d for d in due if d["person"].pk in still]
            for d in due:
                Invitation.issue(
                    campaign,
                    created_by=request.user,
                    person=d["person"],
                    accompaniment=d["accompaniment"],
                    facility=d["accompaniment"].facility,
                    timepoint=d["timepoint"],
                    batch=batch,
                )
            if due:
                log_access(request, Action.CREATE, [d["person"] for d in due])
        if not due:
            messages.error(
                request, _("Ces personnes ne peuvent plus être invitées : rien n'a été créé.")
            )
            return redirect("evaluation:campaign_detail", pk=campaign.pk)
    else:
        form = AnonymousBatchForm(request.POST, campaign=campaign)
        if not form.is_valid():
            messages.error(request, _("Nombre de liens invalide (de 1 à 100) : rien n'a été créé."))
            return redirect("evaluation:campaign_detail", pk=campaign.pk)
        timepoint = campaign.timepoints[0] if campaign.timepoints else Campaign.Timepoint.ONCE
        if timepoint == Campaign.Timepoint.YEARLY:
            timepoint = str(timezone.localdate().year)
        facility = form.cleaned_data["facility"] or campaign.facility
        with transaction.atomic():
            for _n in range(form.cleaned_data["count"]):
                Invitation.issue(
                    campaign,
                    created_by=request.user,
                    facility=facility,
                    timepoint=timepoint,
                    batch=batch,
                )
    return redirect("evaluation:invitation_sheet", pk=campaign.pk, batch=batch)


@roles_required(CAMPAIGN_RUNNERS)
def invitation_sheet(request, pk, batch):
    """The printable sheet of invitations issued together: the same links each time it is
    shown (computed again from their nonce), as long as they wait for an answer. Each
    display is logged against the persons it names."""
    campaign = get_campaign_for(request, pk)
    invitations = list(reprintable_invitations(request, campaign).filter(batch=batch))
    entries = []
    for invitation in invitations:
        token = invitation.reprint_token()
        if token:
            entries.append(_sheet_entry(request, invitation, token))
    named = [i.person for i in invitations if i.person_id]
    log_access(request, Action.VIEW, named or campaign)
    return render(
        request,
        "evaluation/invitation_sheet.html",
        {
            "campaign": campaign,
            "entries": entries,
            "batch": batch,
            "unprintable": len(invitations) - len(entries),
        },
    )


@roles_required(CAMPAIGN_RUNNERS)
@require_http_methods(["GET", "POST"])
def invitation_sheet_revoke(request, pk, batch):
    """Withdraw the links of a sheet that still wait (a sheet lost, given to the wrong
    person): GET asks for confirmation with their number, POST withdraws. A withdrawn link
    then says so and opens nothing; a linked person may be invited again."""
    campaign = get_campaign_for(request, pk)
    invitations = reprintable_invitations(request, campaign).filter(batch=batch)
    if request.method == "POST":
        with transaction.atomic():
            locked = list(invitations.select_for_update(of=("self",)))
            Invitation.objects.filter(pk__in=[i.pk for i in locked]).update(
                revoked_at=timezone.now()
            )
            named = [i.person for i in locked if i.person_id]
            log_access(request, Action.UPDATE, named or campaign)
        messages.success(
            request,
            ngettext(
                "%(n)s invitation retirée : son lien n'ouvre plus rien.",
                "%(n)s invitations retirées : leurs liens n'ouvrent plus rien.",
                len(locked),
            )
            % {"n": len(locked)},
        )
        return redirect("evaluation:campaign_detail", pk=campaign.pk)
    rows = list(invitations)
    named = [i.person for i in rows if i.person_id]
    if named:
        log_access(request, Action.LIST, named)
    return render(
        request,
        "evaluation/invitation_revoke.html",
        {"campaign": campaign, "invitations": rows, "batch": batch},
    )


@roles_required(COORDINATORS)
def campaign_responses_fhir(request, pk):
    """Answers of a campaign as a FHIR Bundle of QuestionnaireResponse, without any subject.
    Linked answers only while their person's evaluation consent is in force (``in_use``)."""
    campaign = get_campaign_for(request, pk)
    definition = campaign.instrument_version.definition
    resources = []
    if campaign.is_linked:
        linked = list(
            LinkedResponse.objects.visible_to(request.membership).filter(campaign=campaign).in_use()
        )
        resources = [
            to_questionnaire_response(definition, r.answers, r.completed_at.date().isoformat())
            for r in linked
        ]
        log_access(request, Action.EXPORT, model=LinkedResponse, ids=[r.pk for r in linked])
    else:
        anonymous = AnonymousResponse.objects.filter(
            organisation=campaign.organisation,
            instrument_version=campaign.instrument_version,
            month__gte=campaign.opens_on.replace(day=1),
        )
        if campaign.facility_id:
            anonymous = anonymous.filter(facility=campaign.facility)
        resources = [
            to_questionnaire_response(definition, r.answers, r.month.strftime("%Y-%m"))
            for r in anonymous
        ]
    response = HttpResponse(
        json.dumps(responses_bundle(resources), ensure_ascii=False, indent=2),
        content_type="application/fhir+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="reponses-campagne-{campaign.pk}.json"'
    return response
