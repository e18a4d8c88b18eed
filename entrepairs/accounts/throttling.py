"""Limits on guessing: login failures per account and per address, password resets per address.

- **Login** (django-axes): ``AXES_FAILURE_LIMIT`` failures of one account from one address
  lock that pair; ``LOGIN_FAILURES_PER_ADDRESS`` failures from one address, whatever the
  accounts tried, lock the address. Both for ``AXES_COOLOFF_TIME``; a lockout answers 429.
- **Password reset**: ``PASSWORD_RESETS_PER_ADDRESS`` requests an hour from one address, then
  429; past ``PASSWORD_RESETS_PER_EMAIL`` requests an hour for one email the answer stays the
  same but no email is sent (nobody floods a mailbox). Counted whether the account exists or
  not, so the answer says nothing about it.

The address is the client's as the trusted proxies saw it (``client_address``); an IPv6
address counts as its /64 network, the block one subscriber gets.
"""

import ipaddress
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateLimitHit

WINDOW = timedelta(hours=1)


def client_address(request) -> str:
    """The client's network address, for limits and the lockout log.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each appending the address it saw to
    ``X-Forwarded-For``, the client is the entry that many places from the right: entries
    further left are whatever the client wrote. Without proxies, ``REMOTE_ADDR``."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "0.0.0.0"  # noqa: S104 not a bind address: the bucket of unreadable addresses
    if parsed.version == 6 and parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


class AccountAndAddressHandler(AxesDatabaseHandler):
    """django-axes with a second, higher limit for one address whatever the accounts.

    axes counts the failures of each set of ``AXES_LOCKOUT_PARAMETERS`` (the account and
    address pair, then the address alone) and locks when the largest reaches one limit,
    ``AXES_FAILURE_LIMIT``. Each count is scaled to that limit by its own, so that the
    address count reaches it exactly at ``LOGIN_FAILURES_PER_ADDRESS``."""

    def limits(self):
        return [settings.AXES_FAILURE_LIMIT, settings.LOGIN_FAILURES_PER_ADDRESS]

    def get_failures(self, request, credentials=None) -> int:
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        base = settings.AXES_FAILURE_LIMIT
        return max(
            count * base // limit for count, limit in zip(counts, self.limits(), strict=True)
        )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears that account's failures from that address only: were
        the address's other failures cleared too, an attacker would clear them by logging
        into an account of their own between two series of guesses."""
        pair_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair_attempts.delete()
        return count


def allow(scope: str, value: str, limit: int) -> bool:
    """Count one request of ``value`` (an address, an email) under ``scope``; False once
    ``limit`` requests were counted in the last hour. Refused requests are not counted, so
    the table holds at most ``limit`` rows per value and hour. Shared by every worker and
    server (it lives in the database)."""
    key = salted_hmac(f"entrepairs.throttling.{scope}", value).hexdigest()
    now = timezone.now()
    with transaction.atomic():
        RateLimitHit.objects.filter(at__lt=now - WINDOW).delete()
        if RateLimitHit.objects.filter(scope=scope, key=key).count() >= limit:
            return False
        RateLimitHit.objects.create(scope=scope, key=key, at=now)
    return True
