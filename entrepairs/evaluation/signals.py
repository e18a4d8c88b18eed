"""Withdrawing the evaluation consent, or the record consent (a linked answer adds to the
record), takes effect at once: pending invitations and unfinished drafts of the person are
deleted in the withdrawal's own transaction, whichever page recorded it. The anonymisation
erases, in its own transaction, what evaluation holds as free text on the person."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from entrepairs.accompaniment.models import Consent, ConsentPurpose
from entrepairs.accompaniment.rights import person_anonymised


@receiver(post_save, sender=Consent, dispatch_uid="evaluation_consent_withdrawn")
def drop_pending_invitations_on_withdrawal(sender, instance, created, **kwargs):
    if not created or instance.given:
        return
    if instance.purpose not in (ConsentPurpose.EVALUATION, ConsentPurpose.RECORD):
        return
    _drop_pending(instance.person_id)


def _drop_pending(person_id):
    from .models import Invitation, LinkedResponse

    LinkedResponse.objects.filter(person_id=person_id, completed_at__isnull=True).delete()
    Invitation.objects.filter(person_id=person_id, is_used=False).delete()


@receiver(person_anonymised, dispatch_uid="evaluation_person_anonymised")
def erase_on_anonymisation(sender, person, **kwargs):
    """The anonymisation erases free text: here, the free-text answers of the person's
    follow-up questionnaires (never scored, so the scores kept for statistics do not move),
    with their pending links and drafts."""
    from .models import LinkedResponse

    _drop_pending(person.pk)
    answered = LinkedResponse.objects.filter(person=person).select_related("instrument_version")
    for response in answered:
        items = response.instrument_version.definition["items"]
        free = {item["code"] for item in items if item["type"] == "free_text"}
        if free & response.answers.keys():
            response.answers = {k: v for k, v in response.answers.items() if k not in free}
            response.save(update_fields=["answers"])
