"""Sign-in with ProConnect, the State's OpenID Connect federation for professionals.

Off unless ``PROCONNECT_ISSUER``, ``PROCONNECT_CLIENT_ID`` and ``PROCONNECT_CLIENT_SECRET`` are
set: no button, and every URL here answers 404. The client library is Authlib: it reads the
provider's discovery document, runs the authorization code flow with PKCE (S256), keeps
``state``, ``nonce`` and the code verifier in the session, and checks the ID token's
signature against the provider's JWKS, its issuer, audience, expiry, issue time and nonce.
(mozilla-django-oidc was set aside: it checks neither the audience nor the issuer of the ID
token, has no discovery, and reads userinfo as plain JSON.) Here we add what ProConnect needs
beyond it: the userinfo answer must be a JWT signed by the same keys, for us, about the same
``sub``.

An identity opens only an account that already exists with an active membership: matched
once on the verified email, then bound to the provider's ``sub`` (``ProConnectIdentity``);
later sign-ins match on ``sub`` alone. Nobody is created by signing in, and an account
already bound to another identity of the same provider is never rebound (a recycled email
address cannot take an account over).

A second factor asserted in the signed ID token — ``acr`` in ``PROCONNECT_SECOND_FACTOR_ACR``
(eIDAS substantial or high: ``eidas2``, ``eidas3``) or ``amr`` containing one of
``PROCONNECT_SECOND_FACTOR_AMR`` (``mfa``) — stands for TOTP: the session is verified for
django-otp with the identity as device. Otherwise TOTP is asked as after a password.
Logout also ends the provider session (``end_session_endpoint``, with ``id_token_hint``).
"""

import json
import logging
import secrets
from functools import cache
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from entrepairs.core.access import public, signed_in

from .models import ProConnectIdentity, User

logger = logging.getLogger(__name__)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
NEXT_KEY = "proconnect_next"
ID_TOKEN_KEY = "proconnect_id_token"  # noqa: S105 - a session key name
LOGOUT_STATE_KEY = "proconnect_logout_state"
# Asked of the provider: the authentication methods (ProConnect sends ``amr`` only when asked).
CLAIMS_REQUEST = json.dumps({"id_token": {"amr": {"essential": True}, "acr": None}})

NO_ACCESS = _(
    "Aucun accès actif à Entre Pairs ne correspond à cette identité ProConnect. Demandez à la "
    "coordination de votre organisation de vous inviter avec cette adresse."
)


class SignInRefused(Exception):
    """The sign-in stops here; ``message`` is shown (in French) on the login page."""

    def __init__(self, reason: str, message: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.message = message or _(
            "La connexion avec ProConnect n'a pas abouti. Réessayez ou connectez-vous avec "
            "votre adresse e-mail et votre mot de passe."
        )


def enabled() -> bool:
    return bool(
        settings.PROCONNECT_ISSUER
        and settings.PROCONNECT_CLIENT_ID
        and settings.PROCONNECT_CLIENT_SECRET
    )


def _require_enabled():
    if not enabled():
        raise Http404


@cache
def _client(issuer: str, client_id: str, client_secret: str, scopes: str):
    oauth = OAuth()
    return oauth.register(
        name="proconnect",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": scopes, "code_challenge_method": "S256", "timeout": 10},
    )


def client():
    """The Authlib client of the configured provider (its discovery document is fetched once
    per process, and its keys again when a token names an unknown key)."""
    app = _client(
        settings.PROCONNECT_ISSUER,
        settings.PROCONNECT_CLIENT_ID,
        settings.PROCONNECT_CLIENT_SECRET,
        settings.PROCONNECT_SCOPES,
    )
    metadata = app.load_server_metadata()
    if metadata.get("issuer") != settings.PROCONNECT_ISSUER:
        raise SignInRefused("discovery issuer mismatch")
    return app


def _safe_next(request, candidate) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@public
def proconnect_login(request):
    """Send the browser to the provider (state, nonce and PKCE verifier kept in the session)."""
    _require_enabled()
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next"))
    try:
        app = client()
        return app.authorize_redirect(
            request,
            request.build_absolute_uri(reverse("accounts:proconnect_callback")),
            claims=CLAIMS_REQUEST,
        )
    except (AuthlibBaseError, JoseError, requests.RequestException, SignInRefused, ValueError):
        logger.warning("ProConnect unreachable", exc_info=True)
        messages.error(
            request,
            _("ProConnect ne répond pas pour le moment. Connectez-vous avec votre mot de passe."),
        )
        return redirect("accounts:login")


def signed_userinfo(app, token, sub: str) -> dict:
    """The userinfo answer, which must be a JWT signed with the provider's keys, issued by it,
    for us, about ``sub`` (the ID token's subject)."""
    metadata = app.load_server_metadata()
    response = app.get(metadata["userinfo_endpoint"], token=token)
    response.raise_for_status()
    if not response.headers.get("Content-Type", "").startswith("application/jwt"):
        raise SignInRefused("userinfo not signed")
    algorithms = metadata.get("userinfo_signing_alg_values_supported") or ["RS256", "ES256"]
    algorithms = [alg for alg in algorithms if alg != "none"]
    try:
        decoded = jwt.decode(
            response.text.strip(), KeySet.import_key_set(app.fetch_jwk_set()), algorithms
        )
    except InvalidKeyIdError:
        keys = KeySet.import_key_set(app.fetch_jwk_set(force=True))
        decoded = jwt.decode(response.text.strip(), keys, algorithms)
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": settings.PROCONNECT_ISSUER},
        aud={"essential": True, "value": settings.PROCONNECT_CLIENT_ID},
        sub={"essential": True, "value": sub},
    ).validate(decoded.claims)
    return decoded.claims


def asserts_second_factor(id_claims) -> bool:
    """True when the signed ID token says a second factor was used (see the module doc)."""
    amr = id_claims.get("amr") or []
    if not isinstance(amr, list):
        amr = []
    return id_claims.get("acr") in settings.PROCONNECT_SECOND_FACTOR_ACR or any(
        method in settings.PROCONNECT_SECOND_FACTOR_AMR for method in amr
    )


def verified_email(userinfo) -> str | None:
    email = userinfo.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None
    verified = userinfo.get("email_verified")
    if verified is True or (verified is None and settings.PROCONNECT_EMAIL_VERIFIED_BY_PROVIDER):
        return email.strip().lower()
    return None


def identity_for(issuer: str, sub: str, userinfo: dict) -> ProConnectIdentity:
    """The binding of ``sub`` to an account with an active membership (created at the first
    sign-in), or ``SignInRefused``. No account is ever created here."""
    identity = (
        ProConnectIdentity.objects.select_related("user").filter(issuer=issuer, sub=sub).first()
    )
    if identity is not None:
        user = identity.user
    else:
        email = verified_email(userinfo)
        if email is None:
            raise SignInRefused(
                "email not verified",
                _(
                    "ProConnect n'a pas transmis d'adresse e-mail vérifiée : connectez-vous avec "
                    "votre mot de passe."
                ),
            )
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise SignInRefused("unknown email", NO_ACCESS)
        if ProConnectIdentity.objects.filter(user=user, issuer=issuer).exists():
            raise SignInRefused(
                "account bound to another identity",
                _(
                    "Ce compte est déjà lié à une autre identité ProConnect. Connectez-vous avec "
                    "votre mot de passe ou demandez à l'équipe qui administre la plateforme."
                ),
            )
    if not user.is_active or not user.memberships.filter(is_active=True).exists():
        raise SignInRefused("no active membership", NO_ACCESS)
    if identity is None:
        try:
            with transaction.atomic():
                identity = ProConnectIdentity.objects.create(
                    user=user, issuer=issuer, sub=sub, name="ProConnect", confirmed=True
                )
        except IntegrityError as exc:  # the same first sign-in twice at once
            raise SignInRefused("binding race") from exc
        logger.info("ProConnect identity bound to user %s", user.pk)
    return identity


@public
def proconnect_callback(request):
    """Back from the provider: check everything, then sign in (or refuse, in French)."""
    _require_enabled()
    try:
        app = client()
        # RFC 9207: an answer that says it comes from another issuer is not ours (mix-up).
        if request.GET.get("iss", settings.PROCONNECT_ISSUER) != settings.PROCONNECT_ISSUER:
            raise SignInRefused("issuer mix-up")
        token = app.authorize_access_token(request, leeway=settings.PROCONNECT_CLOCK_LEEWAY)
        id_claims = token.get("userinfo")  # Authlib's name for the validated ID token claims
        if not id_claims or not token.get("id_token"):
            raise SignInRefused("no id token")
        userinfo = signed_userinfo(app, token, id_claims["sub"])
        identity = identity_for(settings.PROCONNECT_ISSUER, id_claims["sub"], userinfo)
    except MismatchingStateError:
        return _refused(request, SignInRefused("state mismatch"))
    except SignInRefused as refusal:
        return _refused(request, refusal)
    except (AuthlibBaseError, JoseError, requests.RequestException, KeyError, ValueError) as exc:
        return _refused(request, SignInRefused(f"{type(exc).__name__}: {exc}"))
    next_url = request.session.pop(NEXT_KEY, None) or reverse(settings.LOGIN_REDIRECT_URL)
    user = identity.user
    auth_login(request, user, backend=MODEL_BACKEND)  # a new session (no fixation)
    request.session[ID_TOKEN_KEY] = token["id_token"]
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    if asserts_second_factor(id_claims):
        otp_login(request, identity)
    return HttpResponseRedirect(_safe_next(request, next_url))


def _refused(request, refusal: SignInRefused):
    logger.warning("ProConnect sign-in refused: %s", refusal.reason)
    messages.error(request, refusal.message)
    return redirect("accounts:login")


_local_logout = auth_views.LogoutView.as_view()


@signed_in
def logout_view(request):
    """Django's logout (POST); after a ProConnect sign-in, then the provider's logout too."""
    id_token = request.session.get(ID_TOKEN_KEY)
    response = _local_logout(request)
    if not id_token or not enabled() or response.status_code != 302:
        return response
    try:
        end_session = client().load_server_metadata().get("end_session_endpoint")
    except (AuthlibBaseError, requests.RequestException, SignInRefused, ValueError):
        end_session = None
    if not end_session:
        return response
    state = secrets.token_urlsafe(16)
    request.session[LOGOUT_STATE_KEY] = state  # in the new, empty session
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(
                reverse("accounts:proconnect_logout_done")
            ),
            "state": state,
        }
    )
    return HttpResponseRedirect(f"{end_session}?{query}")


@public
def proconnect_logout_done(request):
    """Back from the provider's logout."""
    _require_enabled()
    expected = request.session.pop(LOGOUT_STATE_KEY, None)
    if expected and secrets.compare_digest(expected, request.GET.get("state", "")):
        messages.success(request, _("Vous êtes déconnecté·e d'Entre Pairs et de ProConnect."))
    return redirect("accounts:login")
