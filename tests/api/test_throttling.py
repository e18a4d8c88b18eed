"""Every call is rate-limited in the cache: per token, or per address without one."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from entrepairs.api.models import Scope

from .conftest import issue_token, token_client

LOW = {
    **settings.REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"api_public": "3/minute", "api_token": "2/minute"},
}


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@override_settings(REST_FRAMEWORK=LOW)
def test_public_calls_are_limited_per_address(world):
    client = Client(REMOTE_ADDR="192.0.2.1")
    for _i in range(3):
        assert client.get(reverse("api:indicators")).status_code == 200
    response = client.get(reverse("api:figures_national"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["code"] == "trop_de_requetes"
    assert body["erreur"].startswith("Trop de requêtes : réessayez dans")
    # Another address is not slowed down by the first one.
    assert Client(REMOTE_ADDR="192.0.2.2").get(reverse("api:indicators")).status_code == 200


@override_settings(REST_FRAMEWORK=LOW)
def test_token_calls_are_limited_per_token(world):
    _t1, first = issue_token(world, "a", [Scope.WORKFORCE])
    _t2, second = issue_token(world, "a", [Scope.WORKFORCE])
    client = token_client(first)
    assert [client.get(reverse("api:peers")).status_code for _i in range(3)] == [200, 200, 429]
    assert token_client(second).get(reverse("api:peers")).status_code == 200
    # The docs and description are limited too (public rate).
    anonymous = Client(REMOTE_ADDR="192.0.2.3")
    statuses = [anonymous.get(reverse("api:schema")).status_code for _i in range(4)]
    assert statuses == [200, 200, 200, 429]


@override_settings(REST_FRAMEWORK=LOW)
def test_a_forged_forwarded_address_does_not_reset_the_count(world):
    """Without trusted proxies, X-Forwarded-For (written by the client) is not the address."""
    statuses = [
        Client(REMOTE_ADDR="192.0.2.9", headers={"x-forwarded-for": f"198.51.100.{i}"})
        .get(reverse("api:indicators"))
        .status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
