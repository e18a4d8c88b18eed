"""Every URL pattern of the project × every persona: see tests/authz.py."""

import importlib
import pkgutil

import pytest
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

import tests
from tests.authz import Route
from tests.personas import PERSONAS


def collect_routes() -> dict[str, Route]:
    routes = {}
    for module_info in pkgutil.iter_modules(tests.__path__):
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{module_info.name}.authz")
        except ModuleNotFoundError:
            continue
        for route in module.ROUTES:
            assert route.name not in routes, f"{route.name} déclarée deux fois"
            routes[route.name] = route
    return routes


def project_url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                names.add("admin:*")
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= project_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"Motif d'URL sans nom : {pattern.pattern}"
            names.add(f"{namespace}{pattern.name}")
    return names


ROUTES = collect_routes()


def test_every_url_pattern_is_in_the_matrix():
    missing = sorted(project_url_names() - set(ROUTES))
    assert not missing, f"URL absentes de la matrice d'autorisation : {missing}"
    stale = sorted(set(ROUTES) - project_url_names())
    assert not stale, f"Entrées de la matrice sans URL : {stale}"


def expected_status(route: Route, persona: str) -> int:
    if persona in route.status:
        return route.status[persona]
    if persona == "anonymous" and not route.public:
        return 302
    if persona in route.allowed:
        return route.ok_status
    if persona == "anonymous":
        return route.ok_status
    return route.denied_status


def url_for(route: Route, world, org_key="a") -> str:
    if route.name == "admin:*":
        return reverse("admin:index")
    kwargs = route.kwargs(world, org_key) if route.kwargs else {}
    url = reverse(route.name, kwargs=kwargs)
    return f"{url}?{route.query}" if route.query else url


def request(route: Route, client, url, world):
    if route.method == "post":
        data = route.data(world) if callable(route.data) else (route.data or {})
        return client.post(url, data)
    return client.get(url)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_statuses(world, name):
    route = ROUTES[name]
    failures = []
    for persona in PERSONAS:
        url = url_for(route, world, "a")
        response = request(route, world.client(persona), url, world)
        expected = expected_status(route, persona)
        if response.status_code != expected:
            failures.append(f"{persona}: {response.status_code} au lieu de {expected} ({url})")
        elif persona == "anonymous" and expected == 302 and not route.public:
            if not response["Location"].startswith(("/compte/connexion/", "/gestion/login/")):
                failures.append(f"anonymous redirigé vers {response['Location']}")
    assert not failures, "\n".join(failures)


CROSS_ORG = sorted(name for name, r in ROUTES.items() if r.kwargs and r.cross_org)


@pytest.mark.parametrize("name", CROSS_ORG)
def test_object_of_another_organisation_answers_404(world, name):
    route = ROUTES[name]
    failures = []
    for persona in sorted(route.allowed):
        if not persona.endswith("_a"):
            continue
        url = url_for(route, world, "b")
        response = request(route, world.client(persona), url, world)
        if response.status_code != 404:
            failures.append(f"{persona}: {response.status_code} au lieu de 404 ({url})")
    assert not failures, "\n".join(failures)
