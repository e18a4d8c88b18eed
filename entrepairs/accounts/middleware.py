from django.conf import settings
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse

from entrepairs.core.roles import PERSONAL_DATA_ROLES

from .models import Membership

SESSION_KEY = "current_membership_id"


class CurrentMembershipMiddleware:
    """Put the user's active memberships and the current one on the request.

    The current one is chosen in the header switcher and kept in the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = []
        request.membership = None
        request.pending_invitations = []
        if request.user.is_authenticated:
            # One query for the active memberships and the invitations waiting for an answer.
            rows = list(
                request.user.memberships.filter(
                    Q(is_active=True) | Q(invitation=Membership.Invitation.PENDING)
                )
                .select_related("organisation")
                .order_by("organisation__name", "role")
            )
            request.memberships = [m for m in rows if m.is_active]
            request.pending_invitations = [m for m in rows if not m.is_active]
            chosen = request.session.get(SESSION_KEY)
            request.membership = next(
                (m for m in request.memberships if m.pk == chosen),
                request.memberships[0] if request.memberships else None,
            )
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Send every user whose roles can see personal data through TOTP before anything else."""

    ALLOWED_URL_NAMES = ("accounts:otp_verify", "accounts:otp_setup", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths = None

    def allowed_paths(self):
        if self._allowed_paths is None:
            self._allowed_paths = {reverse(name) for name in self.ALLOWED_URL_NAMES}
        return self._allowed_paths

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and (
                user.is_superuser or any(m.role in PERSONAL_DATA_ROLES for m in request.memberships)
            )
            and request.path not in self.allowed_paths()
            and not request.path.startswith(settings.STATIC_URL)
        ):
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.get_full_path()}")
        return self.get_response(request)
