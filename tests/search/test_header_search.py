"""The compact search field of the header: for the roles the search view lets in, never on
pages meant for persons, labelled, and it leads to the search page."""

import re

import pytest
from django.urls import reverse

from entrepairs.evaluation.models import Invitation
from tests.evaluation.factories import campaign, space_token

FIELD = 'id="header-search-q"'
SEARCHERS = ["peer_a", "professional_a", "coordinator_a", "director_a", "peer_b", "coordinator_b"]
NOT_SEARCHERS = ["regional_observer", "national_observer", "admin"]


def header(response) -> str:
    return re.search(r"<header.*?</header>", response.content.decode(), re.S).group(0)


@pytest.mark.parametrize("persona", SEARCHERS)
def test_the_header_offers_search_to_the_roles_that_may_search(world, persona):
    html = header(world.client(persona).get(reverse("home:home")))
    assert FIELD in html
    form = re.search(r'<form[^>]*role="search"[^>]*>.*?</form>', html, re.S).group(0)
    assert f'action="{reverse("search:search")}"' in form and 'method="get"' in form
    assert 'name="q"' in form and 'aria-label="Recherche"' in form
    # A visually hidden label names the field; the button says what it does.
    assert re.search(
        r'<label class="visually-hidden" for="header-search-q">Rechercher</label>', form
    )
    assert '<span class="visually-hidden">Lancer la recherche</span>' in form


@pytest.mark.parametrize("persona", NOT_SEARCHERS)
def test_the_header_offers_no_search_to_roles_that_cannot_search(world, persona):
    client = world.client(persona)
    assert client.get(reverse("search:search")).status_code == 403
    assert FIELD not in client.get("/", follow=True).content.decode()


@pytest.mark.parametrize("persona", SEARCHERS + NOT_SEARCHERS)
def test_the_field_is_shown_exactly_to_those_the_search_page_opens_for(world, persona):
    """The header reads the search view's declaration: it never offers a page that says 403."""
    client = world.client(persona)
    opens = client.get(reverse("search:search"), {"q": "abc"}).status_code == 200
    shown = FIELD in client.get("/", follow=True).content.decode()
    assert shown == opens


def test_no_search_for_anonymous_visitors(world):
    client = world.client("anonymous")
    assert FIELD not in client.get(reverse("accounts:login")).content.decode()
    assert FIELD not in client.get(reverse("core:accessibility")).content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "coordinator_a"])
def test_pages_meant_for_persons_carry_no_staff_search(world, persona):
    """The questionnaire and the person space, even when a signed-in coordinator opens them."""
    _invitation, token = Invitation.issue(
        campaign(world), facility=world.facility_a, timepoint="once"
    )
    client = world.client(persona)
    for url in (
        reverse("evaluation:answer", kwargs={"token": token}),
        reverse("evaluation:space", kwargs={"token": space_token(world)}),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert FIELD not in response.content.decode(), url


def test_the_search_page_keeps_its_own_box_only(world):
    html = world.client("coordinator_a").get(reverse("search:search")).content.decode()
    assert FIELD not in html
    assert html.count('role="search"') == 1
