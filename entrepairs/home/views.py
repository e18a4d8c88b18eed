"""The home page of each role: what that role is responsible for, with real figures.

It lives above the mission apps (it reads the workforce and the territory), so that ``core``
imports nothing above it.
"""

from django.db.models import Count, Q, Sum
from django.shortcuts import render

from entrepairs.core.access import signed_in
from entrepairs.core.roles import Role
from entrepairs.territory.models import (
    ContextFigures,
    Department,
    Facility,
    Organisation,
    Region,
    Sector,
)
from entrepairs.workforce.models import PeerWorker

from .actions import manager_actions
from .peer import peer_home


def territory_context(region=None, year=None):
    """SAE psychiatry context figures of a region (or the nation), adult discipline GEN, for
    ``year`` (the latest SAE year imported)."""
    figures = ContextFigures.objects.filter(year=year, discipline="GEN")
    if region is not None:
        figures = figures.filter(organisation__region=region)
    return figures.aggregate(
        establishments=Count("organisation", distinct=True),
        sectors=Sum("sectors"),
        cmps=Sum("cmp_count"),
        beds=Sum("full_time_beds"),
        active_file=Sum("active_file"),
    )


@signed_in
def home(request):
    """One home page per role, each with real figures of what that role is responsible for."""
    membership = request.membership
    context = {"role": membership.role if membership else None}
    if membership is None:
        return render(request, "home/home_no_membership.html", context)
    org = membership.organisation
    if membership.role in (Role.COORDINATOR, Role.DIRECTOR):
        peers = PeerWorker.objects.visible_to(membership)
        context["peer_counts"] = peers.aggregate(
            in_post=Count("pk", filter=Q(status=PeerWorker.Status.IN_POST)),
            training=Count("pk", filter=Q(status=PeerWorker.Status.TRAINING)),
            recruiting=Count("pk", filter=Q(status=PeerWorker.Status.RECRUITING)),
        )
        context["facility_count"] = Facility.objects.filter(organisation=org).count()
        context["sector_count"] = Sector.objects.filter(organisation=org).count()
        own = ContextFigures.objects.filter(organisation=org)
        context["figures"] = own.filter(year=own.latest_year())
        context.update(manager_actions(request))
    elif membership.role == Role.PEER:
        context.update(peer_home(request))
    elif membership.role == Role.PROFESSIONAL:
        context["facilities"] = membership.facilities.select_related("sector")
    elif membership.role == Role.REGIONAL_OBSERVER:
        context["region"] = org.region
        context["sae_year"] = ContextFigures.objects.latest_year()
        context["context"] = territory_context(org.region, context["sae_year"])
        context["department_count"] = Department.objects.filter(region=org.region).count()
    elif membership.role == Role.NATIONAL_OBSERVER:
        context["sae_year"] = ContextFigures.objects.latest_year()
        context["context"] = territory_context(year=context["sae_year"])
        context["region_count"] = Region.objects.count()
    elif membership.role == Role.ADMIN:
        context["organisation_count"] = Organisation.objects.count()
        context["sector_count"] = Sector.objects.count()
        context["facility_count"] = Facility.objects.count()
    return render(request, f"home/home_{membership.role}.html", context)
