"""What needs action, for the coordinator's and the director's homes.

Each section is read through the owning app's ``visible_to()`` (or its access getter) and links
to the page where the action is taken. Lists are cut at ``LIMIT`` rows with their total count,
so the number of queries does not depend on the volume (tests/home/test_manager_home.py).

- contracts ending in the next 90 days (those within 60 days marked);
- supervision overdue (the rule of ``supervision.py``);
- mission charters waiting for a signature, and signed ones to review within 90 days;
- questionnaire campaigns open (the roles that run campaigns only) and their pending links;
- team invitations not answered yet;
- trainings planned or in progress whose end date has passed (status to update);
- members who have not acknowledged the current code of conduct.
"""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.accounts.models import Membership
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.evaluation.models import Campaign, closed_campaign_q
from entrepairs.workforce.access import charters_for, contracts_for, trainings_for
from entrepairs.workforce.models import CodeOfConduct, PeerWorker, Training
from entrepairs.workforce.models.conduct import ACKNOWLEDGING_ROLES
from entrepairs.workforce.models.practice import with_supervision_status

from .supervision import supervision_status

LIMIT = 8
ENDING_DAYS = 90
URGENT_DAYS = 60
REVIEW_DAYS = 90


def manager_actions(request) -> dict:
    membership = request.membership
    today = timezone.localdate()
    named_peers = []
    sections = [
        _contracts_ending(membership, today, named_peers),
        _supervision_overdue(membership, today, named_peers),
        _charters_to_sign(membership, named_peers),
        _charters_to_review(membership, today, named_peers),
        _campaigns_open(membership, today),
        _team_invitations(membership),
        _trainings_to_update(membership, today, named_peers),
        _conduct_not_acknowledged(membership),
    ]
    # What needs doing first, then what is in order (the order within each group is kept).
    sections = sorted((s for s in sections if s is not None), key=lambda s: s["count"] == 0)
    log_access(request, Action.LIST, model=PeerWorker, ids=sorted(set(named_peers)))
    return {"action_sections": sections, "today": today}


def _section(key, title, count, items, more_url, more_label, empty):
    return {
        "key": key,
        "title": title,
        "count": count,
        "items": items,
        "more_url": more_url,
        "more_label": more_label,
        "empty": empty,
    }


def _item(text, url, note="", urgent=False):
    return {"text": text, "url": url, "note": note, "urgent": urgent}


def _days(n) -> str:
    if n == 0:
        return _("aujourd'hui")
    return _("dans %(n)s jours") % {"n": n} if n > 1 else _("demain")


def _contracts_ending(membership, today, named):
    ending = contracts_for(membership).ending_within(ENDING_DAYS, today)
    counts = ending.aggregate(
        total=Count("pk"),
        urgent=Count("pk", filter=Q(end__lte=today + datetime.timedelta(days=URGENT_DAYS))),
    )
    items = []
    for contract in ending.order_by("end", "pk")[:LIMIT]:
        named.append(contract.peer_id)
        left = (contract.end - today).days
        items.append(
            _item(
                f"{contract.peer} – {contract.get_kind_display()} ({contract.employer})",
                reverse("workforce:contract_detail", args=[contract.pk]),
                _("fin le %(date)s, %(days)s")
                % {"date": contract.end.strftime("%d/%m/%Y"), "days": _days(left)},
                urgent=left <= URGENT_DAYS,
            )
        )
    title = _("Contrats qui se terminent dans les %(n)s jours") % {"n": ENDING_DAYS}
    section = _section(
        "contracts",
        title,
        counts["total"],
        items,
        reverse("workforce:contracts_ending"),
        _("Tous les contrats en fin proche"),
        _("Aucun contrat ne se termine dans les %(n)s jours.") % {"n": ENDING_DAYS},
    )
    section["urgent_count"] = counts["urgent"]
    section["urgent_days"] = URGENT_DAYS
    return section


def _supervision_overdue(membership, today, named):
    peers = with_supervision_status(
        PeerWorker.objects.visible_to(membership).exclude(status=PeerWorker.Status.LEFT)
    ).order_by("last_name", "first_name", "pk")
    overdue = []
    for peer in peers:
        status = supervision_status(peer)
        if status is not None and status.is_overdue(today):
            overdue.append((status.due_on, peer, status))
    overdue.sort(key=lambda row: (row[0], row[1].pk))
    items = []
    for due_on, peer, status in overdue[:LIMIT]:
        named.append(peer.pk)
        last = (
            _("dernière séance le %(date)s") % {"date": status.last.strftime("%d/%m/%Y")}
            if status.last
            else _("aucune séance enregistrée")
        )
        items.append(
            _item(
                str(peer),
                reverse("workforce:peer_detail", args=[peer.pk]),
                _("attendue depuis le %(date)s ; %(last)s")
                % {"date": due_on.strftime("%d/%m/%Y"), "last": last},
                urgent=True,
            )
        )
    return _section(
        "supervision",
        _("Supervision en retard"),
        len(overdue),
        items,
        reverse("workforce:supervision_list"),
        _("Les séances de supervision"),
        _("Chaque pair a eu sa supervision dans les délais."),
    )


def _charters_to_sign(membership, named):
    waiting = charters_for(membership).filter(fully_signed_at__isnull=True)
    count = waiting.count()
    items = []
    for charter in waiting.order_by("created_at", "pk")[:LIMIT]:
        named.append(charter.peer_id)
        party = charter.next_party()
        yours = party is not None and charter.party_for(membership) == party
        note = (
            _("à votre signature")
            if yours
            else _("attend la signature : %(party)s") % {"party": charter.Party(party).label}
            if party
            else ""
        )
        items.append(
            _item(
                _("%(peer)s – %(facility)s (version %(v)s)")
                % {"peer": charter.peer, "facility": charter.facility, "v": charter.version},
                reverse("workforce:charter_detail", args=[charter.pk]),
                note,
                urgent=yours,
            )
        )
    return _section(
        "charters",
        _("Fiches de mission à signer"),
        count,
        items,
        reverse("workforce:charter_list"),
        _("Toutes les fiches de mission"),
        _("Aucune fiche de mission n'attend de signature."),
    )


def _charters_to_review(membership, today, named):
    due = (
        charters_for(membership)
        .fully_signed()
        .filter(next_version__isnull=True, review_by__isnull=False)
        .filter(review_by__lte=today + datetime.timedelta(days=REVIEW_DAYS))
    )
    count = due.count()
    items = []
    for charter in due.order_by("review_by", "pk")[:LIMIT]:
        named.append(charter.peer_id)
        items.append(
            _item(
                _("%(peer)s – %(facility)s (version %(v)s)")
                % {"peer": charter.peer, "facility": charter.facility, "v": charter.version},
                reverse("workforce:charter_detail", args=[charter.pk]),
                _("à revoir avant le %(date)s") % {"date": charter.review_by.strftime("%d/%m/%Y")},
                urgent=charter.review_by < today,
            )
        )
    return _section(
        "charters_review",
        _("Fiches de mission à revoir dans les %(n)s jours") % {"n": REVIEW_DAYS},
        count,
        items,
        reverse("workforce:charter_list"),
        _("Toutes les fiches de mission"),
        _("Aucune fiche de mission n'est à revoir prochainement."),
    )


def _campaigns_open(membership, today):
    campaigns = Campaign.objects.visible_to(membership)
    if membership.role != "coordinator":
        return None  # directors do not run campaigns (Campaign.visible_to shows them none)
    open_ = campaigns.exclude(closed_campaign_q()).filter(opens_on__lte=today)
    count = open_.count()
    now = timezone.now()
    rows = open_.annotate(
        pending=Count(
            "invitations",
            filter=Q(invitations__is_used=False, invitations__expires_at__gt=now),
        )
    ).order_by("closes_on", "title", "pk")[:LIMIT]
    items = []
    for campaign in rows:
        until = (
            _("jusqu'au %(date)s") % {"date": campaign.closes_on.strftime("%d/%m/%Y")}
            if campaign.closes_on
            else _("sans date de clôture")
        )
        items.append(
            _item(
                campaign.title,
                reverse("evaluation:campaign_detail", args=[campaign.pk]),
                _("%(until)s ; %(n)s lien(s) en attente de réponse")
                % {"until": until, "n": campaign.pending},
            )
        )
    return _section(
        "campaigns",
        _("Campagnes de questionnaires ouvertes"),
        count,
        items,
        reverse("evaluation:campaign_list"),
        _("Toutes les campagnes"),
        _("Aucune campagne ouverte."),
    )


def _team_invitations(membership):
    pending = Membership.objects.visible_to(membership).filter(
        invitation=Membership.Invitation.PENDING
    )
    count = pending.count()
    items = [
        _item(
            f"{invited.team_name} – {invited.get_role_display()}",
            reverse("accounts:team_list"),
            _("invitation envoyée le %(date)s")
            % {"date": timezone.localtime(invited.invited_at).strftime("%d/%m/%Y")}
            if invited.invited_at
            else "",
        )
        for invited in pending.select_related("user").order_by("invited_at", "pk")[:LIMIT]
    ]
    return _section(
        "invitations",
        _("Invitations à l'équipe sans réponse"),
        count,
        items,
        reverse("accounts:team_list"),
        _("L'équipe et les accès"),
        _("Toutes les invitations ont reçu une réponse."),
    )


def _trainings_to_update(membership, today, named):
    late = trainings_for(membership).filter(
        status__in=[Training.Status.PLANNED, Training.Status.IN_PROGRESS], end__lt=today
    )
    count = late.count()
    items = []
    for training in late.order_by("end", "pk")[:LIMIT]:
        named.append(training.peer_id)
        items.append(
            _item(
                f"{training.title} – {training.peer}",
                reverse("workforce:training_update", args=[training.pk]),
                _("%(status)s, fin prévue le %(date)s : obtenue ou abandonnée ?")
                % {
                    "status": training.get_status_display(),
                    "date": training.end.strftime("%d/%m/%Y"),
                },
            )
        )
    return _section(
        "trainings",
        _("Formations à mettre à jour"),
        count,
        items,
        reverse("workforce:training_list"),
        _("Toutes les formations"),
        _("Aucune formation à mettre à jour."),
    )


def _conduct_not_acknowledged(membership):
    current = CodeOfConduct.current_for(membership.organisation_id)
    if current is None:
        return None
    missing = (
        Membership.objects.visible_to(membership)
        .filter(is_active=True, role__in=ACKNOWLEDGING_ROLES)
        .exclude(pk__in=current.acknowledgements.values("membership_id"))
        .count()
    )
    return _section(
        "conduct",
        _("Code de déontologie (version %(v)s) pas encore lu") % {"v": current.version},
        missing,
        [],
        reverse("workforce:conduct_acknowledgements"),
        _("Qui en a pris connaissance"),
        _("Toute l'équipe a pris connaissance du code en vigueur."),
    )
