import datetime

import pytest
from django.test import Client
from django.utils import timezone

from entrepairs.api.models import ApiToken, Scope


def issue_token(world, org="a", scopes=tuple(Scope), persona=None, days=30, name="SIRH"):
    """(token, secret) of org ``org``, created by its coordinator unless ``persona`` says."""
    token, secret = ApiToken.issue(
        organisation=world.org(org),
        name=name,
        scopes=list(scopes),
        expires_at=timezone.now() + datetime.timedelta(days=days),
        created_by=world.membership(persona or f"coordinator_{org}"),
    )
    return token, secret


def token_client(secret) -> Client:
    return Client(headers={"authorization": f"Bearer {secret}"})


@pytest.fixture
def api_a(world):
    """A client with a token of org A carrying every scope."""
    _token, secret = issue_token(world, "a")
    return token_client(secret)


from tests.browser.conftest import browser, page  # noqa: E402, F401
