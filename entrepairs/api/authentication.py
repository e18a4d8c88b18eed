"""How an API call proves which organisation it reads for: ``Authorization: Bearer <token>``.

A token that is unknown, expired, revoked, or whose creator's membership was deactivated
answers 401, whatever the endpoint asks; a valid token without the endpoint's scope, 403.
Sessions never authenticate an API call: a signed-in browser without a token gets 401 too.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from .access import principal_of
from .models import ApiToken, token_hash

# ``last_used_at`` is written at most once a minute per token, not on every call.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("En-tête Authorization invalide : « Bearer <jeton> » attendu.")
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Jeton illisible.")) from exc
        now = timezone.now()
        token = (
            ApiToken.objects.usable(now)
            .select_related("organisation")
            .filter(token_hash=token_hash(raw))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Jeton inconnu, expiré ou révoqué."))
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # For log_access: the event names the token's organisation and the token.
        request._request.membership = principal_of(token)
        return AnonymousUser(), token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="entrepairs"'


class HasTokenScope(BasePermission):
    """The view's ``required_scope`` must be one of the token's scopes."""

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated(
                _("Cette adresse demande un jeton d'API (en-tête « Authorization: Bearer … »).")
            )
        if view.required_scope not in token.scopes:
            raise exceptions.PermissionDenied(
                _("Ce jeton n'a pas le droit « %(scope)s ».") % {"scope": view.required_scope}
            )
        return True
