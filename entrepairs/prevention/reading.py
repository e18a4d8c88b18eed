"""The plan decrypted for a page or a PDF. Only the views that may show the content call
these; nothing here is logged, put in a task payload or aggregated."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CARD_FIELDS, CrisisRecord, PsychiatristComment, ReadRecord, Recipient

READS_SHOWN = 200


def trusted_of(version) -> dict | None:
    trusted = getattr(version, "trusted_person", None) if version else None
    return trusted.decrypted() if trusted else None


def comments_of(version) -> list[dict]:
    if version is None:
        return []
    comments = PsychiatristComment.objects.filter(version=version).select_related("recipient")
    box = version.plan.box
    return [
        {
            "date": timezone.localtime(c.created_at).strftime("%d/%m/%Y"),
            "stance": c.get_stance_display(),
            "agrees": c.stance == PsychiatristComment.Stance.AGREE,
            "text": box.decrypt(c.text),
            "by": c.recipient.label() if c.recipient else _("destinataire retiré"),
        }
        for c in comments
    ]


def reading_of(version) -> dict:
    """Everything a reader of ``version`` sees: sections, personne de confiance, comments."""
    sections = version.sections()
    return {
        "version": version,
        "sections": version.filled_sections(),
        "card": {field: sections.get(field, "") for field in CARD_FIELDS},
        "trusted": trusted_of(version),
        "comments": comments_of(version),
    }


def draft_initial(draft) -> dict:
    """The draft form's initial values (decrypted)."""
    initial = {"version_id": draft.pk, "revision": draft.revision, **draft.sections()}
    trusted = trusted_of(draft)
    if trusted:
        initial.update(
            trusted_name=trusted["name"],
            trusted_contact=trusted["contact"],
            trusted_relationship=trusted["relationship"],
            trusted_agreed_on=trusted["agreed_on"],
            trusted_agreement=draft.trusted_person.agreement_means,
        )
    return initial


def recipients_of(plan) -> list[Recipient]:
    recipients = list(Recipient.objects.filter(plan=plan).order_by("-withdrawn_at", "given_at"))
    for recipient in recipients:
        recipient.plan = plan  # one decryption key for all
    return sorted(recipients, key=lambda r: (not r.is_active, r.given_at))


def reads_of(plan) -> list[dict]:
    rows = ReadRecord.objects.filter(plan=plan).select_related("recipient", "version")
    out = []
    for read in rows[:READS_SHOWN]:
        if read.recipient:
            read.recipient.plan = plan
        out.append(
            {
                "date": read.read_at,
                "who": read.recipient.label() if read.recipient else _("votre pair-aidant·e"),
                "channel": read.get_channel_display(),
                "version": read.version.number,
            }
        )
    return out


def crises_of(plan) -> list[dict]:
    rows = CrisisRecord.objects.filter(plan=plan).select_related("recipient", "version")
    out = []
    for crisis in rows:
        if crisis.recipient:
            crisis.recipient.plan = plan
        out.append(
            {
                "date": crisis.crisis_on,
                "respected": crisis.get_respected_display(),
                "why": plan.box.decrypt(crisis.why),
                "by": crisis.recipient.label() if crisis.recipient else "",
                "version": crisis.version.number,
            }
        )
    return out
