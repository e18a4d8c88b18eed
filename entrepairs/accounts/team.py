"""The "Équipe et accès" page: a coordinator or a director manages who works in their organisation.

Memberships are deactivated, never deleted. A manager only touches memberships of their own
organisation (404 otherwise) whose role they may grant (403 otherwise), and never deactivates
or changes the role of their own membership, so the organisation always keeps a manager.

An invitation creates a pending (inactive) membership, whether the address already has an
account or not: the invited person accepts it from their own account (``invitations.py``).
Until then the manager sees only what they typed, and the same screens and messages for an
address that has an account and for a new one.
"""

import logging

from django.contrib import messages
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing
from entrepairs.core.models import Action

from .access import TEAM_MANAGERS, get_managed_membership_for
from .lists import TeamFilter
from .models import Membership, User
from .roles import grantable_roles
from .team_forms import ALREADY_INVITED, ALREADY_MEMBER, InviteForm, MembershipForm

PAGE_SIZE = 50
logger = logging.getLogger(__name__)


def team_memberships(request):
    return (
        Membership.objects.visible_to(request.membership)
        .select_related("user")
        .prefetch_related("facilities")
        .annotate(
            has_second_factor=Exists(
                TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
            )
        )
        .order_by("-is_active", "user__last_name", "user__first_name", "user__email", "pk")
    )


@roles_required(TEAM_MANAGERS)
def team_list(request):
    listing = Listing(request, TeamFilter, team_memberships(request), page_size=PAGE_SIZE)
    page = listing.page
    log_access(request, Action.LIST, page.object_list, model=Membership)
    context = {
        "page": page,
        "listing": listing,
        "grantable": grantable_roles(request.membership.role),
    }
    return render(request, "accounts/team_list.html", context)


def send_invitation(request, membership):
    """An email to the invited address: the link to answer the invitation, and first the
    password-setup link (of the password reset machinery) when the account has no password."""
    user = membership.user
    context = {
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
        "organisation": membership.organisation,
        "role": membership.get_role_display(),
        "user": user,
        "set_password": not user.has_usable_password(),
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    PasswordResetForm().send_mail(
        "accounts/email/invitation_subject.txt",
        "accounts/email/invitation.txt",
        context,
        None,
        user.email,
    )


def _invite(request, form):
    """The pending membership (and its account when new) and its audit, in one transaction.

    An existing account keeps its own name; the membership keeps what the inviter typed.
    """
    data = form.cleaned_data
    organisation = request.membership.organisation
    with transaction.atomic():
        user = User.objects.filter(email__iexact=data["email"]).first()
        if user is None:
            user = User.objects.create_user(
                data["email"], first_name=data["first_name"], last_name=data["last_name"]
            )  # no password: unusable until the person chooses one through the emailed link
        # An invitation declined or cancelled before is sent again on the same row.
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=data["role"], defaults={"is_active": False}
        )
        membership.is_active = False
        membership.invitation = Membership.Invitation.PENDING
        membership.invited_first_name = data["first_name"]
        membership.invited_last_name = data["last_name"]
        membership.invited_at = timezone.now()
        membership.answered_at = None
        membership.save()
        membership.facilities.set(data["facilities"])
        log_access(request, Action.CREATE, membership)
    return membership


@roles_required(TEAM_MANAGERS)
def team_invite(request):
    form = InviteForm(request.POST or None, manager=request.membership)
    if request.method == "POST" and form.is_valid():
        try:
            membership = _invite(request, form)
        except IntegrityError:  # the same invitation was sent twice at the same time
            form.add_error(None, ALREADY_INVITED)
        else:
            try:
                send_invitation(request, membership)
            except OSError:  # smtplib errors included: the invitation exists, the email can wait
                logger.exception("invitation email not sent (membership %s)", membership.pk)
                messages.warning(
                    request,
                    _(
                        "L'invitation est enregistrée mais le courriel n'a pas pu partir. "
                        "Prévenez l'équipe qui administre la plateforme."
                    ),
                )
            # The same message whether the account existed or not: nothing about it leaks.
            messages.success(
                request,
                _(
                    "Invitation envoyée à %(email)s, en tant que %(role)s. L'accès sera actif "
                    "quand la personne l'aura acceptée."
                )
                % {"email": form.cleaned_data["email"], "role": membership.get_role_display()},
            )
            return redirect("accounts:team_list")
    return render(request, "accounts/team_invite.html", {"form": form})


@roles_required(TEAM_MANAGERS)
def membership_update(request, pk):
    membership = get_managed_membership_for(request, pk)
    form = MembershipForm(request.POST or None, instance=membership, manager=request.membership)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
                log_access(request, Action.UPDATE, membership)
        except IntegrityError:
            form.add_error("role", ALREADY_MEMBER)
        else:
            messages.success(
                request, _("Accès de %(name)s modifié.") % {"name": membership.team_name}
            )
            return redirect("accounts:team_list")
    else:
        log_access(request, Action.VIEW, membership)
    return render(
        request, "accounts/membership_form.html", {"form": form, "membership": membership}
    )


def _refuse_own_access(request):
    messages.error(
        request,
        _(
            "Vous ne pouvez pas désactiver votre propre accès : demandez-le à un·e autre "
            "coordinateur·rice ou à la direction."
        ),
    )
    return redirect("accounts:team_list")


def _cancel_invitation(request, membership):
    """Withdraw an invitation not answered yet, audited in the same transaction."""
    name = membership.team_name
    with transaction.atomic():
        # Conditional: an invitation accepted meanwhile is an access, deactivated the usual way.
        cancelled = Membership.objects.filter(
            pk=membership.pk, invitation=Membership.Invitation.PENDING
        ).update(invitation=Membership.Invitation.CANCELLED, answered_at=timezone.now())
        if cancelled:
            log_access(request, Action.UPDATE, membership)
    if cancelled:
        messages.success(request, _("Invitation de %(name)s annulée.") % {"name": name})
    else:
        messages.info(
            request,
            _("L'invitation de %(name)s n'attend plus de réponse : rien n'a été annulé.")
            % {"name": name},
        )
    return redirect("accounts:team_list")


def _not_accepted(request):
    """Only the invited person turns an invitation into an active access, by accepting it."""
    messages.error(
        request,
        _(
            "Cette invitation n'a pas été acceptée : seule la personne invitée peut activer "
            "l'accès, en l'acceptant. Vous pouvez l'inviter à nouveau."
        ),
    )
    return redirect("accounts:team_list")


@roles_required(TEAM_MANAGERS)
@require_http_methods(["GET", "POST"])
def membership_deactivate(request, pk):
    """Deactivate a member's access: GET asks for confirmation, saying for whom and what
    follows; POST deactivates, audited in the same transaction. Nothing is deleted."""
    membership = get_managed_membership_for(request, pk)
    if membership.pk == request.membership.pk:
        return _refuse_own_access(request)
    if not membership.is_accepted:
        if request.method == "POST":
            return _cancel_invitation(request, membership)
        return redirect("accounts:membership_cancel_invitation", pk=membership.pk)
    name = membership.team_name
    if request.method == "POST":
        with transaction.atomic():
            changed = Membership.objects.filter(pk=membership.pk, is_active=True).update(
                is_active=False
            )
            if changed:
                log_access(request, Action.UPDATE, membership)
        messages.success(
            request,
            _("Accès de %(name)s désactivé : la personne ne peut plus agir pour l'organisation.")
            % {"name": name},
        )
        return redirect("accounts:team_list")
    if not membership.is_active:
        messages.info(request, _("L'accès de %(name)s est déjà désactivé.") % {"name": name})
        return redirect("accounts:team_list")
    log_access(request, Action.VIEW, membership)
    return render(request, "accounts/membership_deactivate.html", {"target": membership})


@roles_required(TEAM_MANAGERS)
@require_http_methods(["GET", "POST"])
def membership_cancel_invitation(request, pk):
    """Cancel an invitation not answered yet: GET asks for confirmation, POST cancels."""
    membership = get_managed_membership_for(request, pk)
    if membership.invitation != Membership.Invitation.PENDING:
        messages.info(
            request,
            _("L'invitation de %(name)s n'attend plus de réponse : rien n'a été annulé.")
            % {"name": membership.team_name},
        )
        return redirect("accounts:team_list")
    if request.method == "POST":
        return _cancel_invitation(request, membership)
    log_access(request, Action.VIEW, membership)
    return render(request, "accounts/membership_cancel_invitation.html", {"target": membership})


@require_POST
@roles_required(TEAM_MANAGERS)
def membership_reactivate(request, pk):
    membership = get_managed_membership_for(request, pk)
    if membership.pk == request.membership.pk:
        return _refuse_own_access(request)
    if not membership.is_accepted:
        return _not_accepted(request)
    if not membership.is_active:
        with transaction.atomic():
            membership.is_active = True
            membership.save(update_fields=["is_active"])
            log_access(request, Action.UPDATE, membership)
    messages.success(request, _("Accès de %(name)s réactivé.") % {"name": membership.team_name})
    return redirect("accounts:team_list")
