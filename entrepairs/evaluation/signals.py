"""Withdrawing the evaluation consent, or the record consent (a linked answer adds to the
record), takes effect at once: pending invitations and unfinished drafts of the person are
deleted in the withdrawal's own transaction, whichever page recorded it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from entrepairs.accompaniment.models import Consent, ConsentPurpose


@receiver(post_save, sender=Consent, dispatch_uid="evaluation_consent_withdrawn")
def drop_pending_invitations_on_withdrawal(sender, instance, created, **kwargs):
    if not created or instance.given:
        return
    if instance.purpose not in (ConsentPurpose.EVALUATION, ConsentPurpose.RECORD):
        return
    from .models import Invitation, LinkedResponse

    LinkedResponse.objects.filter(person_id=instance.person_id, completed_at__isnull=True).delete()
    Invitation.objects.filter(person_id=instance.person_id, is_used=False).delete()
