"""No copy of a page is kept by a browser, a proxy or a shared computer: every response of
every URL of the matrix (pages, person-space and questionnaire pages, exports) says
``no-store``. The attack: reopening a person's record or export from the cache of a shared
ward computer after the user logged out."""

import pytest
from django.conf import settings
from django.http import HttpResponse

from entrepairs.core.middleware import NoStoreMiddleware
from tests.personas import PERSONAS
from tests.test_authorization_matrix import ROUTES, expected_status, request, url_for

EXPORT_TYPES = {"application/pdf", "application/json", "application/fhir+json"}


def persona_who_opens(route):
    """A persona that gets the route's page itself (not a refusal or a redirect)."""
    for persona in PERSONAS:
        if persona != "anonymous" and expected_status(route, persona) == route.ok_status:
            if persona in route.allowed or route.public:
                return persona
    return "anonymous"


def assert_no_store(response, what):
    header = response.get("Cache-Control", "")
    assert "no-store" in header and "private" in header, f"{what}: Cache-Control « {header} »"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_route_says_no_store(world, name):
    route = ROUTES[name]
    persona = persona_who_opens(route)
    url = url_for(route, world, "a")
    for who in {persona, "anonymous"}:
        response = request(route, world.client(who), url, world)
        assert response.status_code == expected_status(route, who), (who, url)
        assert_no_store(response, f"{who} {url} ({response.status_code})")


def test_exports_are_among_the_routes_checked(world):
    """The exports (record as PDF and JSON, FHIR, charter PDF, certificate) are matrix routes:
    each is opened by an allowed persona and says no-store."""
    seen, opened = set(), []
    for name, route in ROUTES.items():
        if not any(word in name for word in ("export", "pdf", "fhir", "certificate")):
            continue
        if route.method != "get":
            continue
        persona = persona_who_opens(route)
        response = request(route, world.client(persona), url_for(route, world, "a"), world)
        if response.status_code != 200:
            continue
        assert_no_store(response, name)
        seen.add(response["Content-Type"].split(";")[0])
        opened.append(name)
    assert seen >= EXPORT_TYPES, (seen, opened)
    assert len(opened) >= 6, opened


def test_static_files_are_left_to_their_server(rf):
    """The one exception: CSS, scripts and images hold no personal data and may be cached."""
    middleware = NoStoreMiddleware(lambda request: HttpResponse("body {}"))
    assert "Cache-Control" not in middleware(rf.get(f"{settings.STATIC_URL}app.css"))
    assert_no_store(middleware(rf.get("/accompagnement/")), "page")
