"""The list of API tokens sorts and filters by state."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.listing import check_sorts, first_column

from .conftest import issue_token

pytestmark = pytest.mark.django_db

TOKENS = reverse("api_tokens:token_list")


def test_tokens_sort_and_filter(world):
    issue_token(world, name="SIRH", days=10)
    revoked, _secret = issue_token(world, name="Entrepôt", days=40)
    revoked.revoked_at = timezone.now()
    revoked.revoked_by = world.membership("coordinator_a")
    revoked.save()
    issue_token(world, "b", name="Ailleurs")
    client = world.client("coordinator_a")
    assert first_column(client.get(TOKENS, {"tri": "nom"})) == ["Entrepôt", "SIRH"]
    assert first_column(client.get(TOKENS, {"tri": "-expiration"})) == ["Entrepôt", "SIRH"]
    assert first_column(client.get(TOKENS, {"etat": "actif"})) == ["SIRH"]
    check_sorts(client, TOKENS, ["nom", "expiration", "usage"])
    assert client.get(TOKENS, {"tri": "token_hash"}).status_code == 200
