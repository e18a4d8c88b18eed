"""Which linked invitations are due: a consenting person reaches a campaign's timepoint."""

import calendar
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from entrepairs.accompaniment.models import Accompaniment, Person

from .models import Campaign, Invitation

# A start or end up to this many days before the campaign opened still counts.
GRACE_DAYS = 60


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def due_invitations(campaign: Campaign, membership) -> list[dict]:
    """Linked invitations to issue now, for persons ``membership`` may see who may be invited
    (``Person.objects.evaluable()``: evaluation consent in force, record not frozen)."""
    if not campaign.is_linked:
        return []
    today = timezone.localdate()
    # A campaign saved before dates were checked may open on 0001-01-01: no date precedes it.
    since = max(campaign.opens_on, date.min + timedelta(days=GRACE_DAYS)) - timedelta(
        days=GRACE_DAYS
    )
    persons = Person.objects.visible_to(membership).evaluable()
    accompaniments = (
        Accompaniment.objects.filter(person__in=persons, person__organisation=campaign.organisation)
        .select_related("person")
        .order_by("person__alias", "start")
    )
    if campaign.facility_id:
        accompaniments = accompaniments.filter(facility_id=campaign.facility_id)
    due = []
    for timepoint in campaign.timepoints:
        # A withdrawn invitation does not count: the person may be invited again.
        already = Invitation.objects.filter(
            campaign=campaign,
            accompaniment=OuterRef("pk"),
            timepoint=timepoint,
            revoked_at__isnull=True,
        )
        candidates = accompaniments.exclude(Exists(already))
        if timepoint == Campaign.Timepoint.START:
            rows = [(a, a.start) for a in candidates.filter(start__gte=since, start__lte=today)]
        elif timepoint == Campaign.Timepoint.END:
            rows = [(a, a.end) for a in candidates.filter(end__gte=since, end__lte=today)]
        elif timepoint == Campaign.Timepoint.MONTHS and campaign.months_after:
            rows = []
            for a in candidates.filter(start__lte=today):
                try:
                    on = add_months(a.start, campaign.months_after)
                except ValueError:  # beyond year 9999: never due
                    continue
                if since <= on <= today and (a.end is None or a.end >= on):
                    rows.append((a, on))
        else:
            rows = []
        due += [
            {
                "key": f"{a.pk}:{timepoint}",
                "accompaniment": a,
                "person": a.person,
                "timepoint": timepoint,
                "timepoint_label": Campaign.Timepoint(timepoint).label,
                "due_on": on,
            }
            for a, on in rows
        ]
    return sorted(due, key=lambda d: (d["person"].alias, d["due_on"]))
