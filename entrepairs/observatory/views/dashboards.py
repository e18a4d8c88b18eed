"""Observer dashboards: regional (per establishment) and national (per region).

These pages show aggregates only (counts, with small cells suppressed), never a person row, so
no AccessEvent is written: there is no personal data to trace (see core/audit.py).
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.roles import Role
from entrepairs.territory.models import Region

from .. import dashboards
from ..access import NATIONAL_READERS, REGIONAL_READERS


@roles_required(REGIONAL_READERS)
def regional(request):
    membership = request.membership
    region, error = None, None
    regions = None
    if membership.role == Role.REGIONAL_OBSERVER:
        # A regional observer always sees their own ARS's region; ?region= is ignored.
        region = membership.organisation.region
        if region is None:
            error = _("Votre organisation n'est rattachée à aucune région.")
    else:
        regions = list(Region.objects.order_by("code"))
        code = request.GET.get("region", "").strip()
        if code:
            region = next((r for r in regions if r.code == code), None)
            if region is None:
                error = _("« %(value)s » n'est pas un code de région connu.") % {"value": code[:10]}
    period = request.GET.get("periode", "")[:10]
    dashboard = dashboards.regional(region, period=period) if region is not None else None
    context = {
        "region": region,
        "regions": regions,
        "error": error,
        "dashboard": dashboard,
        "chart": dashboards.peers_chart(dashboard) if dashboard else "",
    }
    return render(request, "observatory/regional.html", context)


@roles_required(NATIONAL_READERS)
def national(request):
    dashboard = dashboards.national(period=request.GET.get("periode", "")[:10])
    return render(
        request,
        "observatory/national.html",
        {"dashboard": dashboard, "chart": dashboards.peers_chart(dashboard)},
    )
