"""What can happen to a plan, each in one place: the views call these inside the
transaction that also writes their audit event."""

from django.db import transaction
from django.utils import timezone

from .models import (
    CrisisRecord,
    PlanVersion,
    PreventionPlan,
    PsychiatristComment,
    ReadRecord,
    Recipient,
    StaleDraftError,
    TrustedPerson,
)


class NothingToSign(Exception):
    """The draft is empty: there is nothing the person could sign."""


def open_draft(plan: PreventionPlan, user=None) -> PlanVersion:
    """The draft of the plan, created if needed as a copy of the latest signed version (its
    sections and personne de confiance), so that a change starts from what was signed."""
    draft = plan.versions.filter(signed_at__isnull=True).first()
    if draft is not None:
        return draft
    latest = plan.versions.filter(signed_at__isnull=False).order_by("-number").first()
    number = (latest.number + 1) if latest else 1
    draft = PlanVersion.objects.create(
        plan=plan, number=number, content=latest.content if latest else "", updated_by=user
    )
    trusted = TrustedPerson.objects.filter(version=latest).first() if latest else None
    if trusted is not None:
        TrustedPerson.objects.create(
            version=draft,
            name=trusted.name,
            contact=trusted.contact,
            relationship=trusted.relationship,
            agreed_on=trusted.agreed_on,
            agreement_means=trusted.agreement_means,
        )
    plan.__dict__.pop("_versions", None)
    return draft


def save_draft(draft: PlanVersion, data: dict, user=None) -> None:
    """Write the draft form (sections, card, personne de confiance) after claiming the next
    revision; raises StaleDraftError if someone saved in between, ImmutableVersionError if
    the draft was signed in between."""
    draft.claim_revision(data["revision"], user)
    texts = {k: v for k, v in data.items() if k not in ("revision", "version_id")}
    sections = {k: v for k, v in texts.items() if not k.startswith("trusted_")}
    draft.write_sections(sections)
    box = draft.plan.box
    TrustedPerson.objects.filter(version=draft).delete()
    if texts.get("trusted_name"):
        TrustedPerson.objects.create(
            version=draft,
            name=box.encrypt(texts["trusted_name"]),
            contact=box.encrypt(texts.get("trusted_contact", "")),
            relationship=box.encrypt(texts.get("trusted_relationship", "")),
            agreed_on=texts.get("trusted_agreed_on") if texts.get("trusted_agreement") else None,
            agreement_means=texts.get("trusted_agreement", "")
            if texts.get("trusted_agreed_on")
            else "",
        )


def sign(draft: PlanVersion, seen_revision: int, means, user=None) -> PlanVersion:
    """The person signs the draft they read (revision ``seen_revision``): from now on this
    version never changes and replaces the one signed before."""
    if draft.is_empty():
        raise NothingToSign
    now = timezone.now()
    signed = PlanVersion.objects.filter(
        pk=draft.pk, signed_at__isnull=True, revision=seen_revision
    ).update(
        signed_at=now,
        signed_means=means,
        signature_recorded_by=user,
        updated_at=now,
    )
    if not signed:
        raise StaleDraftError
    draft.refresh_from_db()
    return draft


def revoke(version: PlanVersion, means, user=None) -> None:
    """The person revokes the version in force: nobody reads it any more."""
    PlanVersion.objects.filter(
        pk=version.pk, signed_at__isnull=False, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_means=means, revoked_by=user)
    version.refresh_from_db()


def add_recipient(plan, kind, name, means, user=None) -> tuple[Recipient, str]:
    recipient = Recipient.objects.create(
        plan=plan,
        kind=kind,
        name=plan.box.encrypt(name),
        given_means=means,
        given_recorded_by=user,
    )
    token = recipient.issue_link()
    return recipient, token


def record_read(plan, version, channel, recipient=None) -> ReadRecord:
    return ReadRecord.objects.create(
        plan=plan, version=version, recipient=recipient, channel=channel
    )


def record_crisis(recipient, version, data) -> CrisisRecord:
    plan = recipient.plan
    return CrisisRecord.objects.create(
        plan=plan,
        version=version,
        recipient=recipient,
        crisis_on=data["crisis_on"],
        respected=data["respected"],
        why=plan.box.encrypt(data.get("why", "")),
    )


def add_comment(recipient, version, data) -> PsychiatristComment:
    return PsychiatristComment.objects.create(
        version=version,
        recipient=recipient,
        stance=data["stance"],
        text=recipient.plan.box.encrypt(data.get("text", "")),
    )


def save_person_notes(plan, text) -> None:
    PreventionPlan.objects.filter(pk=plan.pk).update(
        person_notes=plan.box.encrypt(text), person_notes_at=timezone.now() if text else None
    )


@transaction.atomic
def rotate_master_key() -> int:
    """Rewrap every plan's data key with the newest master key (``manage.py
    rotate_prevention_keys``). The signed versions are not touched."""
    from .crypto import rewrap

    count = 0
    for pk, wrapped in (
        PreventionPlan.objects.exclude(wrapped_key="")
        .select_for_update()
        .values_list("pk", "wrapped_key")
    ):
        PreventionPlan.objects.filter(pk=pk).update(wrapped_key=rewrap(wrapped))
        count += 1
    return count
