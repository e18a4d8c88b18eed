"""Clean-up of invitations that can no longer be answered (``purge_expired_invitations``).

Once a campaign is closed (by hand or past its closing date), its unused invitations are
useless: their hashed tokens open nothing, and a linked one still names a person. They go,
with the unfinished drafts bound to them, which could never be completed. Completed answers
are never touched: a linked answer keeps its used invitation, an anonymous one never pointed
to any.
"""

from dataclasses import dataclass

from django.db import transaction

from .models import Campaign, Invitation, LinkedResponse


@dataclass
class PurgeCounts:
    campaigns: int
    invitations: int
    linked_invitations: int
    drafts: int


def purgeable_invitations():
    """Unused invitations of closed campaigns. An invitation with a completed answer is kept
    whatever its flag says, so that no answer ever loses its link."""
    return Invitation.objects.filter(is_used=False, campaign__in=Campaign.objects.closed()).exclude(
        linked_response__completed_at__isnull=False
    )


def purge_expired_invitations(*, dry_run: bool = False) -> PurgeCounts:
    """Delete the purgeable invitations and their drafts; return what was (or would be) deleted."""
    with transaction.atomic():
        invitations = purgeable_invitations()
        drafts = LinkedResponse.objects.filter(
            invitation__in=invitations, completed_at__isnull=True
        )
        counts = PurgeCounts(
            campaigns=invitations.values("campaign_id").distinct().count(),
            invitations=invitations.count(),
            linked_invitations=invitations.filter(person__isnull=False).count(),
            drafts=drafts.count(),
        )
        if not dry_run:
            drafts.delete()
            invitations.delete()
    return counts
