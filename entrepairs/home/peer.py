"""The peer's home: the day's work in one page.

- the persons seen recently (``Person.visible_to``), each with "Noter une rencontre" when an
  accompaniment of theirs with this peer is open and the "record" consent is in force (the
  only case the encounter form accepts);
- the week's groups: the active groups the peer co-facilitates, the session noted this week or
  a link to note it;
- the peer's next supervision (``supervision.py``);
- what came from the person space: there is no messaging, so the page lists what persons did
  in their own space over the last ``SPACE_DAYS`` days (a wish for the prevention plan, a plan
  signed or revoked, a sharing or a consent withdrawn) and the questionnaires waiting for
  their answer.

Every person named on the page is logged in one ``list`` event, as the person list does.
The number of queries does not depend on how many persons, groups or events there are.
"""

import datetime

from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.accompaniment.models import (
    Accompaniment,
    Consent,
    ConsentPurpose,
    Encounter,
    Person,
)
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.evaluation.models import Invitation
from entrepairs.groups.models import Group
from entrepairs.prevention.models import PlanVersion, PreventionPlan, Recipient, SignatureMeans
from entrepairs.workforce.access import current_peer
from entrepairs.workforce.models import PeerWorker
from entrepairs.workforce.models.practice import with_supervision_status

from .supervision import supervision_status

RECENT_PERSONS = 8
SPACE_DAYS = 30
SPACE_EVENTS = 10
PENDING_INVITATIONS = 10
WEEK_GROUPS = 12


def peer_home(request) -> dict:
    membership = request.membership
    peer = current_peer(request)
    if peer is None:
        return {"peer": None}
    today = timezone.localdate()
    persons = recent_persons(membership, peer)
    events = space_events(membership)
    pending = pending_answers(membership)
    shown = {p.pk for p in persons} | {e["person"].pk for e in events}
    shown |= {i.person_id for i in pending}
    log_access(request, Action.LIST, model=Person, ids=sorted(shown))
    annotated = with_supervision_status(
        PeerWorker.objects.filter(pk=peer.pk).prefetch_related("deployments__facility")
    ).get()
    status = supervision_status(annotated)
    return {
        "peer": annotated,
        "today": today,
        "persons": persons,
        "week": week_groups(membership, today),
        "week_start": week_start(today),
        "supervision": status,
        "supervision_overdue": status is not None and status.is_overdue(today),
        "supervision_soon": status is not None and status.is_due_soon(today),
        "space_events": events,
        "space_days": SPACE_DAYS,
        "pending_answers": pending,
    }


def recent_persons(membership, peer) -> list:
    """The persons the peer sees, last met by this peer first, with ``can_note``."""
    mine = Encounter.objects.filter(accompaniment__person=OuterRef("pk"), peer=peer)
    open_with_me = Accompaniment.objects.filter(
        person=OuterRef("pk"), end__isnull=True, start__lte=timezone.localdate(), peers=peer
    )
    persons = list(
        Person.objects.visible_to(membership)
        .annotate(
            last_seen=Subquery(mine.order_by("-date", "-pk").values("date")[:1]),
            open_with_me=Exists(open_with_me),
        )
        .annotate_consent(ConsentPurpose.RECORD, "record_consent")
        .order_by(
            F("last_seen").desc(nulls_last=True),
            F("last_activity_on").desc(nulls_last=True),
            "alias",
            "pk",
        )[:RECENT_PERSONS]
    )
    for person in persons:
        person.record_open = person.record_consent is True
        person.can_note = person.open_with_me and person.record_open
    return persons


def week_start(today) -> datetime.date:
    return today - datetime.timedelta(days=today.weekday())


def week_groups(membership, today) -> list:
    """Active groups of the peer running this week, with the session noted this week."""
    monday = week_start(today)
    sunday = monday + datetime.timedelta(days=6)
    return list(
        Group.objects.visible_to(membership)
        .filter(is_active=True)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=sunday))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=monday))
        .annotate(
            noted_on=Max(
                "sessions__date",
                filter=Q(sessions__date__gte=monday, sessions__date__lte=sunday),
            )
        )
        .select_related("facility")
        .order_by("name", "pk")[:WEEK_GROUPS]
    )


def space_events(membership) -> list[dict]:
    """What persons did in their own space lately, newest first (one query per kind)."""
    since = timezone.now() - datetime.timedelta(days=SPACE_DAYS)
    persons = Person.objects.visible_to(membership)
    plans = PreventionPlan.objects.filter(person__in=persons)
    events = []
    for plan in plans.filter(person_notes_at__gte=since).select_related("person"):
        events.append(
            _event(
                plan.person,
                plan.person_notes_at,
                _("a noté ce qu'elle ou il veut changer dans son plan de prévention"),
                reverse("prevention:plan", args=[plan.person_id]),
                _("Voir le plan"),
            )
        )
    versions = PlanVersion.objects.filter(plan__in=plans).select_related("plan__person")
    signed = versions.filter(signed_means=SignatureMeans.PERSON_SPACE, signed_at__gte=since)
    for version in signed:
        events.append(
            _event(
                version.plan.person,
                version.signed_at,
                _("a signé son plan de prévention (version %(n)s)") % {"n": version.number},
                reverse("prevention:plan", args=[version.plan.person_id]),
                _("Voir le plan"),
            )
        )
    revoked = versions.filter(revoked_means=SignatureMeans.PERSON_SPACE, revoked_at__gte=since)
    for version in revoked:
        events.append(
            _event(
                version.plan.person,
                version.revoked_at,
                _("a retiré son plan de prévention : il ne s'applique plus"),
                reverse("prevention:plan", args=[version.plan.person_id]),
                _("Voir le plan"),
            )
        )
    withdrawn_sharing = Recipient.objects.filter(
        plan__in=plans,
        withdrawn_means=Recipient.ConsentMeans.PERSON_SPACE,
        withdrawn_at__gte=since,
    ).select_related("plan__person")
    for recipient in withdrawn_sharing:
        events.append(
            _event(
                recipient.plan.person,
                recipient.withdrawn_at,
                _("ne partage plus son plan avec un·e destinataire (%(kind)s)")
                % {"kind": recipient.get_kind_display()},
                reverse("prevention:plan", args=[recipient.plan.person_id]),
                _("Voir le plan"),
            )
        )
    withdrawals = Consent.objects.filter(
        person__in=persons,
        means=Consent.Means.PERSON_SPACE,
        given=False,
        recorded_at__gte=since,
    ).select_related("person")
    for consent in withdrawals:
        events.append(
            _event(
                consent.person,
                consent.recorded_at,
                _("a retiré son accord : %(purpose)s") % {"purpose": consent.get_purpose_display()},
                reverse("accompaniment:person_detail", args=[consent.person_id]),
                _("Voir la fiche"),
            )
        )
    events.sort(key=lambda e: e["at"], reverse=True)
    return events[:SPACE_EVENTS]


def _event(person, at, text, url, link_label) -> dict:
    return {"person": person, "at": at, "text": text, "url": url, "link_label": link_label}


def pending_answers(membership) -> list:
    """Follow-up questionnaires sent to the peer's persons and not answered yet."""
    return list(
        Invitation.objects.visible_to(membership)
        .pending()
        .filter(person__in=Person.objects.visible_to(membership))
        .select_related("person", "campaign")
        .order_by("expires_at", "pk")[:PENDING_INVITATIONS]
    )
