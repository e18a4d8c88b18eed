""" "Mon activité": a peer's timeline and monthly time by mission; a coordinator's view of
one peer's monthly summary. No note and no person is ever shown here."""

import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.workforce.models import PeerWorker

from ..access import COORDINATORS, PEERS, get_peer_for
from ..activity import (
    month_bounds,
    monthly_summary,
    parse_month,
    shares_chart,
    timeline,
    timeline_entries,
)

PAGE_SIZE = 20


def chosen_month(request):
    """The month asked for in ``?mois=AAAA-MM`` (current month by default) and an error."""
    today = timezone.localdate().replace(day=1)
    raw = request.GET.get("mois", "").strip()
    if not raw:
        return today, None
    month = parse_month(raw)
    if month is None:
        return today, _("« %(value)s » n'est pas un mois valide (format AAAA-MM).") % {
            "value": raw[:20]
        }
    return month, None


def month_navigation(month):
    start, next_month = month_bounds(month)
    previous = (start - datetime.timedelta(days=1)).replace(day=1)
    return {
        "previous": previous.strftime("%Y-%m"),
        "next": next_month.strftime("%Y-%m") if next_month <= timezone.localdate() else None,
        "value": start.strftime("%Y-%m"),
    }


@roles_required(PEERS)
def my_activity(request):
    membership = request.membership
    peer = PeerWorker.objects.visible_to(membership).first()
    month, month_error = chosen_month(request)
    context = {"peer": peer, "month_error": month_error, "nav": month_navigation(month)}
    if peer is not None:
        org_id = membership.organisation_id
        page = Paginator(timeline(peer.pk, org_id), PAGE_SIZE).get_page(request.GET.get("page"))
        summary = monthly_summary(peer, org_id, month)
        context.update(
            summary=summary,
            chart=shares_chart(summary),
            page=page,
            entries=timeline_entries(list(page.object_list)),
            extra_query=f"mois={month:%Y-%m}",
        )
        log_access(request, Action.VIEW, peer)
    return render(request, "observatory/my_activity.html", context)


@roles_required(COORDINATORS)
def peer_activity(request, pk):
    membership = request.membership
    peer = get_peer_for(request, pk)
    month, month_error = chosen_month(request)
    summary = monthly_summary(peer, membership.organisation_id, month)
    log_access(request, Action.VIEW, peer)
    return render(
        request,
        "observatory/peer_activity.html",
        {
            "peer": peer,
            "summary": summary,
            "chart": shares_chart(summary),
            "month_error": month_error,
            "nav": month_navigation(month),
        },
    )
