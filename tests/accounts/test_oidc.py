"""ProConnect sign-in against a real OpenID Connect provider started on the loopback.

The provider is panva's ``oidc-provider`` (npm, OpenID Certified), run by node from
tests/accounts/oidc/provider.mjs: discovery, JWKS, authorization code with PKCE, signed ID
token and userinfo, RP-initiated logout, all real. Each misbehaviour is one client of it (see
provider.mjs): the real provider configured (1-second ID token, no signed userinfo), or its
real answer re-signed with one claim changed, with its own key or with a key it does not
publish. The user's browser on the provider's side is ``harness.Browser``.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from entrepairs.accounts.models import ProConnectIdentity, User
from entrepairs.accounts.oidc import ID_TOKEN_KEY
from entrepairs.core.roles import Role
from tests.factories import MembershipFactory

from .oidc import harness

pytestmark = pytest.mark.skipif(harness.available() is not None, reason=str(harness.available()))

NO_ACCESS = "Aucun accès actif à Entre Pairs ne correspond à cette identité ProConnect."
FAILED = "La connexion avec ProConnect n'a pas abouti."


@pytest.fixture(scope="module")
def provider():
    running = harness.start()
    yield running
    running.stop()


@pytest.fixture
def proconnect(settings, provider, world):
    """ProConnect configured with the provider's well-behaved client; returns a helper."""
    settings.PROCONNECT_ISSUER = provider.issuer
    settings.PROCONNECT_CLIENT_ID = "entrepairs"
    settings.PROCONNECT_CLIENT_SECRET = harness.SECRET
    return Flow(settings)


class Flow:
    def __init__(self, settings):
        self.settings = settings
        self.client = Client()
        self.browser = harness.Browser()

    def use(self, client_id, **extra):
        self.settings.PROCONNECT_CLIENT_ID = client_id
        for name, value in extra.items():
            setattr(self.settings, name, value)

    def start(self, next_url=None) -> str:
        response = self.client.get(
            reverse("accounts:proconnect_login"), {"next": next_url} if next_url else {}
        )
        assert response.status_code == 302
        return response["Location"]

    def code(self, account="sub-coordinatrice-a", **answers) -> str:
        """Start a sign-in and let the user sign in at the provider: the callback URL."""
        return self.browser.follow(self.start(), account, **answers)

    def back(self, callback, client=None):
        return (client or self.client).get(harness.local(callback))

    def sign_in(self, account="sub-coordinatrice-a", **answers):
        return self.back(self.code(account, **answers))

    def signed_in_user(self, client=None):
        session = (client or self.client).session
        user_id = session.get("_auth_user_id")
        return User.objects.get(pk=user_id) if user_id else None


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def assert_refused(flow, response, message=FAILED):
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert message in messages_of(response)
    assert flow.signed_in_user() is None
    assert not ProConnectIdentity.objects.exists()


# Off when not configured ---------------------------------------------------------------------


def test_off_when_not_configured(world):
    client = Client()
    assert "proconnect" not in client.get(reverse("accounts:login")).content.decode().lower()
    for name in ("proconnect_login", "proconnect_callback", "proconnect_logout_done"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 404


# Happy paths ---------------------------------------------------------------------------------


def test_first_sign_in_binds_sub_and_still_asks_totp(proconnect, world):
    users = User.objects.count()
    page = proconnect.client.get(reverse("accounts:login")).content.decode()
    assert "S'identifier avec ProConnect" in page
    response = proconnect.sign_in(acr="eidas1", amr="pwd")
    assert response.status_code == 302
    user = world.user("coordinator_a")
    assert proconnect.signed_in_user() == user
    identity = ProConnectIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.sub) == (
        user,
        proconnect.settings.PROCONNECT_ISSUER,
        "sub-coordinatrice-a",
    )
    assert User.objects.count() == users  # nobody created
    # eidas1 with a password only: the second factor is still TOTP.
    assert DEVICE_ID_SESSION_KEY not in proconnect.client.session
    home = proconnect.client.get(reverse("home:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:otp_verify"))


@pytest.mark.parametrize("answers", [{"acr": "eidas2"}, {"acr": "eidas3"}, {"amr": "pwd,mfa"}])
def test_second_factor_asserted_by_the_provider_verifies_the_session(proconnect, world, answers):
    response = proconnect.sign_in(**answers)
    assert response["Location"] == reverse("home:home")
    session = proconnect.client.session
    identity = ProConnectIdentity.objects.get()
    assert session[DEVICE_ID_SESSION_KEY] == identity.persistent_id
    assert proconnect.client.get(reverse("home:home")).status_code == 200
    # The device of the provider never accepts a typed code.
    assert not identity.verify_token("123456")


def test_later_sign_ins_match_on_sub_not_on_email(proconnect, world):
    """The provider now gives another address: the bound sub still opens the same account."""
    user = world.user("director_a")
    ProConnectIdentity.objects.create(
        user=user,
        issuer=proconnect.settings.PROCONNECT_ISSUER,
        sub="sub-deja-liee",
        name="ProConnect",
    )
    proconnect.sign_in("sub-deja-liee", acr="eidas2")
    assert proconnect.signed_in_user() == user
    assert ProConnectIdentity.objects.get().last_login_at is not None


def test_email_is_matched_whatever_its_case(proconnect, world):
    proconnect.sign_in("sub-pair-b", acr="eidas2")
    assert proconnect.signed_in_user() == world.user("peer_b")


def test_next_is_kept_but_never_leaves_the_site(proconnect, world):
    callback = proconnect.browser.follow(proconnect.start("/groupes/"), acr="eidas2")
    assert proconnect.back(callback)["Location"] == "/groupes/"
    proconnect.client.post(reverse("accounts:logout"))
    proconnect.client = Client()
    callback = proconnect.browser.follow(proconnect.start("https://evil.example/"), acr="eidas2")
    assert proconnect.back(callback)["Location"] == reverse("home:home")


# Who may sign in -----------------------------------------------------------------------------


def test_unknown_email_opens_nothing_and_creates_nobody(proconnect, world):
    users = User.objects.count()
    assert_refused(proconnect, proconnect.sign_in("sub-inconnue", acr="eidas3"), NO_ACCESS)
    assert User.objects.count() == users


def test_deactivated_membership_opens_nothing(proconnect, world):
    membership = world.membership("coordinator_a")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    assert_refused(proconnect, proconnect.sign_in(acr="eidas3"), NO_ACCESS)


def test_deactivated_membership_after_binding_opens_nothing(proconnect, world):
    proconnect.sign_in(acr="eidas2")
    proconnect.client.post(reverse("accounts:logout"))
    proconnect.client = Client()
    membership = world.membership("coordinator_a")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    response = proconnect.sign_in(acr="eidas2")
    assert NO_ACCESS in messages_of(response)
    assert proconnect.signed_in_user() is None


def test_another_active_membership_is_enough(proconnect, world):
    membership = world.membership("coordinator_a")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    MembershipFactory(user=world.user("coordinator_a"), organisation=world.org_b, role=Role.PEER)
    proconnect.sign_in(acr="eidas2")
    assert proconnect.signed_in_user() == world.user("coordinator_a")


@pytest.mark.parametrize("account", ["sub-non-verifiee", "sub-sans-drapeau"])
def test_unverified_email_opens_nothing(proconnect, world, account):
    response = proconnect.sign_in(account, acr="eidas2")
    assert_refused(proconnect, response, "ProConnect n'a pas transmis d'adresse e-mail vérifiée")


def test_email_without_flag_is_trusted_only_when_configured(proconnect, world):
    proconnect.settings.PROCONNECT_EMAIL_VERIFIED_BY_PROVIDER = True
    proconnect.sign_in("sub-sans-drapeau", acr="eidas2")
    assert proconnect.signed_in_user() == world.user("director_a")
    proconnect.client = Client()
    proconnect.browser = harness.Browser()
    response = proconnect.sign_in("sub-non-verifiee", acr="eidas2")  # said false: never
    assert "adresse e-mail vérifiée" in messages_of(response)


def test_an_account_is_never_rebound_to_another_identity(proconnect, world):
    """The email now belongs to someone else at the provider (new sub): no takeover."""
    proconnect.sign_in(acr="eidas2")
    proconnect.client.post(reverse("accounts:logout"))
    proconnect.client = Client()
    proconnect.browser = harness.Browser()
    response = proconnect.sign_in("sub-autre-coordinatrice-a", acr="eidas2")
    assert "déjà lié à une autre identité ProConnect" in messages_of(response)
    assert proconnect.signed_in_user() is None
    assert ProConnectIdentity.objects.get().sub == "sub-coordinatrice-a"


# Tokens the provider should not have sent ----------------------------------------------------


@pytest.mark.parametrize(
    "client_id",
    [
        "entrepairs-nonce",  # ID token with another nonce (re-signed with the provider's key)
        "entrepairs-aud",  # ID token for another service (re-signed with the provider's key)
        "entrepairs-cle",  # ID token signed with a key the provider does not publish
        "entrepairs-userinfo-cle",  # userinfo signed with a key the provider does not publish
        "entrepairs-userinfo-sub",  # userinfo about someone else (provider's key)
        "entrepairs-userinfo-json",  # the real provider, userinfo not signed
    ],
)
def test_tampered_or_unsigned_answers_are_refused(proconnect, world, client_id):
    proconnect.use(client_id)
    assert_refused(proconnect, proconnect.sign_in(acr="eidas3"))


def test_expired_id_token_is_refused(proconnect, world):
    """The real provider with a 1-second ID token, answering 2 seconds late; no leeway."""
    proconnect.use("entrepairs-expire", PROCONNECT_CLOCK_LEEWAY=0)
    assert_refused(proconnect, proconnect.sign_in(acr="eidas3"))


def test_code_issued_to_another_client_is_refused(proconnect, world):
    """A code obtained by another client of the same provider, brought to us: the provider
    refuses to exchange it for our client (its token would carry the other audience)."""
    callback = proconnect.code(acr="eidas2")
    proconnect.use("entrepairs-aud")  # we now present ourselves as another client
    assert_refused(proconnect, proconnect.back(callback))


# State, code and PKCE ------------------------------------------------------------------------


def test_state_mismatch_is_refused(proconnect, world):
    callback = proconnect.code(acr="eidas2")
    tampered = callback.replace("state=", "state=x")
    assert_refused(proconnect, proconnect.back(tampered))


def test_callback_in_another_browser_is_refused(proconnect, world):
    """Login CSRF: the attacker's code and state, delivered to the victim's browser."""
    callback = proconnect.code(acr="eidas2")
    victim = Client()
    response = proconnect.back(callback, client=victim)
    assert response["Location"] == reverse("accounts:login")
    assert proconnect.signed_in_user(victim) is None
    assert not ProConnectIdentity.objects.exists()


def test_replayed_code_is_refused(proconnect, world):
    callback = proconnect.code(acr="eidas2")
    # A copy of the browser session, state and verifier included, before the code is used.
    copy = Client()
    copy.cookies = proconnect.client.cookies.__class__(proconnect.client.cookies)
    saved = dict(proconnect.client.session.items())
    assert proconnect.back(callback)["Location"] == reverse("home:home")
    # The same URL again in the same browser: the state was used up.
    proconnect.client.post(reverse("accounts:logout"))
    replay = proconnect.back(callback)
    assert FAILED in messages_of(replay) and proconnect.signed_in_user() is None
    # In the copy, whose session still holds the state: the provider refuses the used code.
    other = Client()
    session = other.session
    for key, value in saved.items():
        if key.startswith("_state_"):
            session[key] = value
    session.save()
    response = proconnect.back(callback, client=other)
    assert FAILED in messages_of(response)
    assert proconnect.signed_in_user(other) is None


def test_code_of_another_flow_fails_pkce(proconnect, world):
    """Two sign-ins started in one browser: the code of the first with the state (and code
    verifier) of the second is refused by the provider (PKCE)."""
    first = proconnect.code(acr="eidas2")
    second_start = proconnect.start()
    second = proconnect.browser.follow(second_start, acr="eidas2")
    code = first.split("code=", 1)[1].split("&", 1)[0]
    state2 = second.split("state=", 1)[1].split("&", 1)[0]
    forged = f"{harness.CALLBACK}?code={code}&state={state2}"
    assert_refused(proconnect, proconnect.back(forged))


def test_issuer_mix_up_is_refused(proconnect, world):
    callback = proconnect.code(acr="eidas2")
    mixed = callback.split("&iss=", 1)[0] + "&iss=https%3A%2F%2Fautre-fournisseur.example"
    assert_refused(proconnect, proconnect.back(mixed))


# Logout --------------------------------------------------------------------------------------


def test_logout_ends_the_provider_session_too(proconnect, world):
    proconnect.sign_in(acr="eidas2")
    id_token = proconnect.client.session[ID_TOKEN_KEY]
    assert proconnect.browser.logins == 1
    # While the provider session lives, a new sign-in asks nothing at the provider.
    proconnect.client.post(reverse("accounts:logout"))
    proconnect.client = Client()
    proconnect.sign_in(acr="eidas2")
    assert proconnect.browser.logins == 1
    id_token = proconnect.client.session[ID_TOKEN_KEY]
    response = proconnect.client.post(reverse("accounts:logout"))
    location = response["Location"]
    assert location.startswith(f"{proconnect.settings.PROCONNECT_ISSUER}/session/end?")
    assert f"id_token_hint={id_token}" in location
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Fcompte%2Fdeconnexion" in location
    assert proconnect.signed_in_user() is None  # signed out here already
    done = proconnect.client.get(harness.local(proconnect.browser.logout(location)))
    assert "déconnecté·e d'Entre Pairs et de ProConnect" in messages_of(done)
    # The provider session is over: the next sign-in asks the user again.
    proconnect.sign_in(acr="eidas2")
    assert proconnect.browser.logins == 2


def test_password_sessions_log_out_as_before(proconnect, world):
    client = world.client("coordinator_a")
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
