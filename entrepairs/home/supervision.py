"""When a peer's next supervision is due: one rule for the peer's home and the managers'.

The interval is the one the peer's signed mission charter sets (``supervision_every_weeks``,
the strictest of their signed charters), or ``DEFAULT_SUPERVISION_DAYS`` (90 days) when no
signed charter sets one: every peer in post is supervised at least once a quarter. It runs from
the last supervision session the peer took part in or, for a peer never supervised, from when
the clock started (the first charter signed, else the peer's record created).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from entrepairs.workforce.models import PeerWorker

DEFAULT_SUPERVISION_DAYS = 90
# The peer's home warns this many days before the due date.
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class SupervisionStatus:
    last: datetime.date | None
    due_on: datetime.date
    interval_days: int
    from_charter: bool

    def is_overdue(self, today) -> bool:
        return self.due_on < today

    def is_due_soon(self, today) -> bool:
        return today <= self.due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS)


def supervision_status(peer) -> SupervisionStatus | None:
    """The status of ``peer`` annotated by ``with_supervision_status`` (None: peer has left)."""
    if peer.status == PeerWorker.Status.LEFT:
        return None
    weeks = getattr(peer, "supervision_every_weeks", None)
    interval = weeks * 7 if weeks else DEFAULT_SUPERVISION_DAYS
    start = peer.last_supervision
    if start is None:
        since = peer.supervised_since or peer.created_at
        start = timezone.localtime(since).date()
    return SupervisionStatus(
        last=peer.last_supervision,
        due_on=start + datetime.timedelta(days=interval),
        interval_days=interval,
        from_charter=bool(weeks),
    )
