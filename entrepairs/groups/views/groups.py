"""Groups: list, create/edit, and the detail page with its sessions."""

from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.accompaniment.models import ConsentPurpose, Person
from entrepairs.accounts.models import Membership
from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing, export_response, export_url_for
from entrepairs.core.models import Action
from entrepairs.workforce.models import PeerWorker

from ..access import (
    GROUP_EXPORTERS,
    GROUP_READERS,
    GROUP_WRITERS,
    can_write_groups,
    facilitator_prefetches,
    get_group_for,
)
from ..forms import GroupForm
from ..lists import GROUP_COLUMNS, GroupFilter, SessionFilter
from ..models import Group

PAGE_SIZE = 25


def nameable_attendees(membership):
    """Named attendees a viewer may see: persons visible to them whose record consent is in
    force. Withdrawing that consent removes the name at once; the headcount stays."""
    return Person.objects.visible_to(membership).with_consent(ConsentPurpose.RECORD)


def _groups(request):
    since = timezone.localdate() - timedelta(days=365)
    return (
        Group.objects.visible_to(request.membership)
        .select_related("facility")
        .prefetch_related(*facilitator_prefetches())
        .annotate(
            session_count=Count("sessions", filter=Q(sessions__date__gte=since)),
            participant_total=Sum("sessions__headcount", filter=Q(sessions__date__gte=since)),
            last_session=Max("sessions__date"),
        )
    )


@roles_required(GROUP_READERS)
def group_list(request):
    listing = Listing(
        request,
        GroupFilter,
        _groups(request),
        page_size=PAGE_SIZE,
        export_url=export_url_for(request, "groups:group_list_export", GROUP_EXPORTERS),
    )
    page = listing.page
    log_access(request, Action.LIST, page.object_list, model=Group)
    return render(
        request,
        "groups/group_list.html",
        {"page": page, "listing": listing, "can_write": can_write_groups(request.membership)},
    )


@roles_required(GROUP_EXPORTERS)
def group_list_export(request):
    return export_response(
        request,
        GroupFilter,
        _groups(request),
        GROUP_COLUMNS,
        basename="groupes",
        list_url=reverse("groups:group_list"),
    )


@roles_required(GROUP_WRITERS)
def group_create(request):
    form = GroupForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            group = form.save()
            log_access(request, Action.CREATE, group)
        messages.success(request, _("Le groupe « %(name)s » est créé.") % {"name": group.name})
        return redirect("groups:group_detail", pk=group.pk)
    return render(request, "groups/group_form.html", {"form": form, "group": None})


@roles_required(GROUP_WRITERS)
def group_edit(request, pk):
    group = get_group_for(request, pk)
    form = GroupForm(request.POST or None, instance=group, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            group = form.save()
            log_access(request, Action.UPDATE, group)
        messages.success(request, _("Le groupe est enregistré."))
        return redirect("groups:group_detail", pk=group.pk)
    return render(request, "groups/group_form.html", {"form": form, "group": group})


@roles_required(GROUP_READERS)
def group_detail(request, pk):
    membership = request.membership
    group = get_group_for(request, pk, with_facilitators=True)
    sessions = group.sessions.prefetch_related(
        Prefetch("peers_present", queryset=PeerWorker.objects.order_by("last_name")),
        Prefetch(
            "professionals_present",
            queryset=Membership.objects.select_related("user").order_by("user__last_name"),
        ),
        Prefetch(
            "attendees",
            queryset=nameable_attendees(membership).order_by("alias"),
            to_attr="visible_attendees",
        ),
    )
    totals = group.sessions.aggregate(count=Count("pk"), participants=Sum("headcount"))
    listing = Listing(request, SessionFilter, sessions, page_size=PAGE_SIZE)
    page = listing.page
    log_access(request, Action.VIEW, group)
    named = {p.pk for s in page.object_list for p in s.visible_attendees}
    if named:
        log_access(request, Action.LIST, model=Person, ids=sorted(named))
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "page": page,
            "listing": listing,
            "totals": totals,
            "can_write": can_write_groups(membership),
        },
    )
