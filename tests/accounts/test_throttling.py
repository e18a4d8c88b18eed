"""Guessing passwords is limited per account and per address; so are password resets.

The attacks: one address trying one password on many accounts (never locked while the
lockout counted account and address together), and one address asking for reset emails
without end (no limit at all)."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from entrepairs.accounts.models import RateLimitHit
from entrepairs.accounts.throttling import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"  # noqa: S105 the factories' password
WRONG = "mauvais-mot-de-passe"  # noqa: S105
ATTACKER = "203.0.113.7"


def login(client, email, password=WRONG, address=ATTACKER, **headers):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


@pytest.fixture
def accounts(db):
    return [UserFactory(email=f"agent{n}@example.org") for n in range(30)]


@override_settings(LOGIN_FAILURES_PER_ADDRESS=20)
def test_one_address_trying_many_accounts_is_locked(client, accounts):
    statuses = [login(client, user.email).status_code for user in accounts]
    # One failure per account: the per-account lockout (5) never triggers; the address
    # lockout does, at its 20th failure, and then holds even for a right password.
    assert statuses[:19] == [200] * 19
    assert set(statuses[19:]) == {429}
    locked = login(client, accounts[0].email, PASSWORD)
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked: the same account logs in from there.
    assert login(client, accounts[0].email, PASSWORD, address="198.51.100.4").status_code == 302


@override_settings(LOGIN_FAILURES_PER_ADDRESS=20)
def test_logging_into_an_own_account_does_not_clear_the_address_count(client, accounts):
    own = accounts[-1]
    for user in accounts[:15]:
        login(client, user.email)
    assert login(client, own.email, PASSWORD).status_code == 302
    client.logout()
    statuses = [login(client, user.email).status_code for user in accounts[15:25]]
    assert statuses[:4] == [200] * 4 and set(statuses[4:]) == {429}


def test_one_account_from_one_address_is_still_locked_after_five_failures(client, accounts):
    email = accounts[0].email
    assert [login(client, email).status_code for _ in range(5)] == [200] * 4 + [429]
    assert login(client, email, PASSWORD).status_code == 429
    assert login(client, accounts[1].email, PASSWORD).status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1, LOGIN_FAILURES_PER_ADDRESS=20)
def test_behind_the_proxy_a_forged_forwarded_address_changes_nothing(client, accounts):
    """The proxy appends the address it saw; what the client wrote before it is ignored."""
    for n, user in enumerate(accounts[:20]):
        login(
            client, user.email, address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}"
        )
    assert AccessAttempt.objects.filter(ip_address=ATTACKER).count() == 20
    forged = login(
        client,
        accounts[25].email,
        PASSWORD,
        address="10.0.0.1",
        HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER}",
    )
    assert forged.status_code == 429
    other_client = login(
        client,
        accounts[25].email,
        PASSWORD,
        address="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert other_client.status_code == 302


class FakeRequest:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, ATTACKER, "1.2.3.4", ATTACKER),  # no proxy: the header is the client's own words
        (1, "10.0.0.1", f"1.2.3.4, {ATTACKER}", ATTACKER),
        (1, "10.0.0.1", None, "10.0.0.1"),
        (2, "10.0.0.1", f"1.2.3.4, {ATTACKER}, 10.0.0.2", ATTACKER),
        (1, "10.0.0.1", "pas-une-adresse", "0.0.0.0"),  # noqa: S104 an address, not a bind
        # IPv6: one subscriber's /64 counts as one address.
        (0, "2001:db8:1:2:aaaa::1", None, "2001:db8:1:2::"),
        (0, "2001:db8:1:2:bbbb::9", None, "2001:db8:1:2::"),
        (0, "::ffff:203.0.113.7", None, ATTACKER),
    ],
)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(FakeRequest(remote, forwarded)) == expected


# --- password reset -----------------------------------------------------------------------


def reset(client, email, address=ATTACKER):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


@override_settings(PASSWORD_RESETS_PER_ADDRESS=10)
def test_password_resets_from_one_address_are_limited(client, accounts):
    statuses = [reset(client, user.email).status_code for user in accounts[:12]]
    assert statuses == [302] * 10 + [429] * 2
    assert len(mail.outbox) == 10
    refused = reset(client, accounts[20].email)
    assert refused.status_code == 429
    assert "Trop de demandes" in refused.content.decode()
    assert len(mail.outbox) == 10
    assert reset(client, accounts[20].email, address="198.51.100.4").status_code == 302
    assert len(mail.outbox) == 11


@override_settings(PASSWORD_RESETS_PER_ADDRESS=3)
def test_the_reset_limit_answers_the_same_for_known_and_unknown_emails(client, accounts):
    """Unknown addresses count as known ones do, and every answer is the same, so neither the
    answers nor the moment the limit falls tell whether an account exists."""
    known = [reset(client, accounts[n].email) for n in range(3)]
    known_refused = reset(client, accounts[3].email)
    RateLimitHit.objects.all().delete()
    unknown = [reset(client, f"inconnu{n}@example.org") for n in range(3)]
    unknown_refused = reset(client, "inconnu9@example.org")
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [302] * 3
    assert {r["Location"] for r in known + unknown} == {reverse("accounts:password_reset_done")}
    assert known_refused.status_code == unknown_refused.status_code == 429
    assert known_refused.content == unknown_refused.content


def test_one_mailbox_gets_at_most_three_reset_emails_an_hour(client, accounts):
    """From many addresses: no more emails, and the same answer as before."""
    email = accounts[0].email
    answers = [reset(client, email, address=f"198.51.100.{n}") for n in range(6)]
    assert {(r.status_code, r["Location"]) for r in answers} == {
        (302, reverse("accounts:password_reset_done"))
    }
    assert len(mail.outbox) == 3


def test_rate_limit_rows_hold_no_address_or_email(client, accounts):
    reset(client, accounts[0].email)
    assert RateLimitHit.objects.count() == 2  # the address and the email
    stored = " ".join(f"{h.scope} {h.key}" for h in RateLimitHit.objects.all())
    assert ATTACKER not in stored and accounts[0].email not in stored
