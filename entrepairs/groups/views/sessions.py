"""Group sessions: the quick form to record one, its correction and its deletion.

Whoever may record a session in a group may also correct or delete any of its sessions: the
roles in ``GROUP_WRITERS`` and the group visibility of ``Group.objects.visible_to``.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.accompaniment.models import Person
from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.core.roles import Role

from ..access import GROUP_WRITERS, get_group_for, get_session_for
from ..forms import SessionForm
from .groups import nameable_attendees


@roles_required(GROUP_WRITERS)
def session_create(request, pk):
    membership = request.membership
    group = get_group_for(request, pk)
    last = group.sessions.order_by("-date", "-pk").only("duration_minutes").first()
    facilitators = list(group.peer_facilitators.all())
    own = [p for p in facilitators if p.user_id == membership.user_id]
    initial = {
        "date": timezone.localdate(),
        "duration_minutes": last.duration_minutes if last else 90,
        "peers_present": own or facilitators,
    }
    if membership.role != Role.PEER and membership in group.professional_facilitators.all():
        initial["professionals_present"] = [membership]
    form = SessionForm(request.POST or None, initial=initial, group=group, membership=membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            session = form.save()
            log_access(request, Action.CREATE, session)
        messages.success(
            request,
            _("Séance du %(date)s enregistrée : %(n)s participant·es.")
            % {"date": session.date.strftime("%d/%m/%Y"), "n": session.headcount},
        )
        return redirect("groups:group_detail", pk=group.pk)
    has_nameable = log_nameable_persons(request, form)
    return render(
        request,
        "groups/session_form.html",
        {"form": form, "group": group, "has_nameable": has_nameable},
    )


def log_nameable_persons(request, form) -> bool:
    """The session form lists, as checkboxes, the aliases of every person that may be named:
    a list of persons read, logged like any other. True when there is at least one."""
    ids = list(form.fields["attendees"].queryset.values_list("pk", flat=True))
    if ids:
        log_access(request, Action.LIST, model=Person, ids=ids)
    return bool(ids)


def log_session_view(request, session, named_ids):
    """A page showing a session (and the names of its attendees the viewer may see)."""
    log_access(request, Action.VIEW, session)
    if named_ids:
        log_access(request, Action.VIEW, model=Person, ids=sorted(named_ids))


@roles_required(GROUP_WRITERS)
def session_update(request, pk):
    """Correct a session, with exactly the checks of the quick form."""
    session = get_session_for(request, pk)
    group = session.group
    form = SessionForm(
        request.POST or None, instance=session, group=group, membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            session = form.save()
            log_access(request, Action.UPDATE, session)
        messages.success(
            request,
            _("Séance du %(date)s modifiée : %(n)s participant·es.")
            % {"date": session.date.strftime("%d/%m/%Y"), "n": session.headcount},
        )
        return redirect("groups:group_detail", pk=group.pk)
    has_nameable = log_nameable_persons(request, form)
    log_session_view(request, session, form.initial.get("attendees"))
    return render(
        request,
        "groups/session_form.html",
        {"form": form, "group": group, "session": session, "has_nameable": has_nameable},
    )


@roles_required(GROUP_WRITERS)
def session_delete(request, pk):
    """Delete a session recorded by mistake, after a confirmation page."""
    session = get_session_for(request, pk)
    group = session.group
    if request.method == "POST":
        with transaction.atomic():
            log_access(request, Action.DELETE, session)
            session.delete()
        messages.success(
            request,
            _("Séance du %(date)s supprimée.") % {"date": session.date.strftime("%d/%m/%Y")},
        )
        return redirect("groups:group_detail", pk=group.pk)
    named = list(
        nameable_attendees(request.membership).filter(group_sessions=session).order_by("alias")
    )
    log_session_view(request, session, [p.pk for p in named])
    return render(
        request,
        "groups/session_delete.html",
        {"group": group, "session": session, "named": named},
    )
