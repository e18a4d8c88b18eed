"""The invited person's side: their pending invitations, accepted or declined from their account.

A team invitation never gives access by itself: the membership stays inactive until the person
it was sent to, signed in (password, then second factor when the role needs it), accepts it
here. The emailed link leads to this page, and the login sends here whoever has an invitation
waiting.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entrepairs.core.access import signed_in
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action

from .access import get_pending_invitation_for
from .middleware import SESSION_KEY
from .models import Membership
from .views import _safe_next


@signed_in
def invitations(request):
    pending = (
        Membership.objects.pending_for(request.user)
        .select_related("organisation")
        .prefetch_related("facilities")
        .order_by("invited_at", "pk")
    )
    context = {"invitations": pending, "next": _safe_next(request)}
    return render(request, "accounts/invitations.html", context)


def _answer(request, pk, accept):
    invitation = get_pending_invitation_for(request, pk)
    with transaction.atomic():
        # Conditional: an invitation the organisation cancelled meanwhile is not accepted.
        answered = Membership.objects.filter(
            pk=invitation.pk, invitation=Membership.Invitation.PENDING
        ).update(
            invitation=Membership.Invitation.ACCEPTED if accept else Membership.Invitation.DECLINED,
            is_active=accept,
            answered_at=timezone.now(),
        )
        if answered:
            log_access(request, Action.UPDATE, invitation)
    if not answered:
        messages.error(request, _("Cette invitation n'est plus valable."))
        return redirect("accounts:invitations")
    if accept:
        request.session[SESSION_KEY] = invitation.pk  # act for the organisation just joined
        messages.success(
            request,
            _("Vous avez rejoint %(org)s, en tant que %(role)s.")
            % {"org": invitation.organisation, "role": invitation.get_role_display()},
        )
        return redirect("home:home")
    messages.success(
        request,
        _("Invitation de %(org)s refusée : vous n'avez pas d'accès à cette organisation.")
        % {"org": invitation.organisation},
    )
    return redirect("accounts:invitations")


@signed_in
@require_POST
def invitation_accept(request, pk):
    return _answer(request, pk, accept=True)


@signed_in
@require_POST
def invitation_decline(request, pk):
    return _answer(request, pk, accept=False)
