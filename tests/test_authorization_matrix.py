"""Every URL pattern of the project × every persona: see tests/authz.py.

The matrix also checks the views themselves: every view declares its access
(``core.access``: roles, signed in, or public), and what the matrix expects of each persona
equals what the declaration lets in, so that a declaration, its behaviour and its test can
never drift apart.
"""

import importlib
import pkgutil

import pytest
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

import tests
from entrepairs.core.access import access_rule_of
from entrepairs.core.roles import Role
from tests.authz import LOGGED_IN, Route
from tests.personas import PERSONAS

PERSONA_ROLES = {
    "peer_a": Role.PEER,
    "professional_a": Role.PROFESSIONAL,
    "coordinator_a": Role.COORDINATOR,
    "director_a": Role.DIRECTOR,
    "peer_b": Role.PEER,
    "coordinator_b": Role.COORDINATOR,
    "regional_observer": Role.REGIONAL_OBSERVER,
    "national_observer": Role.NATIONAL_OBSERVER,
    "admin": Role.ADMIN,
}


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


def project_views(resolver=None, namespace="") -> dict:
    """URL name → view function, for every pattern of the project (the admin as one)."""
    views = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                views["admin:*"] = None
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            views |= project_views(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"Motif d'URL sans nom : {pattern.pattern}"
            views[f"{namespace}{pattern.name}"] = pattern.callback
    return views


def project_url_names() -> set[str]:
    return set(project_views())


ROUTES = collect_routes()


def test_every_url_pattern_is_in_the_matrix():
    missing = sorted(project_url_names() - set(ROUTES))
    assert not missing, f"URL absentes de la matrice d'autorisation : {missing}"
    stale = sorted(set(ROUTES) - project_url_names())
    assert not stale, f"Entrées de la matrice sans URL : {stale}"


def expected_status(route: Route, persona: str) -> int:
    if route.token_scope:
        return 401  # a token endpoint: no session opens it, signed in or not
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
    query = route.query(world) if callable(route.query) else route.query
    return f"{url}?{query}" if query else url


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


def test_every_view_declares_its_access():
    undeclared = sorted(
        name
        for name, view in project_views().items()
        if name != "admin:*" and access_rule_of(view) is None
    )
    assert not undeclared, f"Vues sans déclaration d'accès (core.access) : {undeclared}"


DECLARED = sorted(name for name in ROUTES if name != "admin:*")


@pytest.mark.parametrize("name", DECLARED)
def test_matrix_expectations_equal_the_declaration(name):
    """A persona is refused (403) exactly when the view's declaration leaves its role out."""
    route = ROUTES[name]
    rule = access_rule_of(project_views()[name])
    assert (rule.kind == "public") == route.public, f"{name}: public {route.public}, vue {rule}"
    assert (rule.kind == "api_token") == bool(route.token_scope), f"{name}: vue {rule}"
    if rule.kind == "api_token":
        assert rule.scope == route.token_scope, f"{name}: droit {rule.scope} ≠ {route.token_scope}"
        return  # sessions: 401 for all (test_route_statuses); tokens: test_token_routes
    failures = []
    for persona in sorted(LOGGED_IN):
        let_in = rule.kind != "roles" or PERSONA_ROLES[persona] in rule.roles
        refused = expected_status(route, persona) == 403
        if let_in == refused:
            failures.append(f"{persona}: la vue {'laisse entrer' if let_in else 'refuse'}")
    assert not failures, f"{name} ({rule}) : " + ", ".join(failures)


TOKEN_ROUTES = sorted(name for name, r in ROUTES.items() if r.token_scope)


@pytest.mark.parametrize("name", TOKEN_ROUTES)
def test_token_routes_open_with_their_scope_only(world, name):
    """A token of org A with exactly one scope: 200 with the route's scope, 403 with any other;
    401 once revoked or expired."""
    from django.test import Client
    from django.utils import timezone

    from entrepairs.api.models import ApiToken, Scope

    route = ROUTES[name]
    url = url_for(route, world, "a")
    failures = []
    for scope in Scope:
        token, secret = ApiToken.issue(
            organisation=world.org_a,
            name=f"matrice {scope}",
            scopes=[scope],
            expires_at=timezone.now() + timezone.timedelta(days=1),
            created_by=world.membership("coordinator_a"),
        )
        client = Client(headers={"authorization": f"Bearer {secret}"})
        expected = 200 if scope == route.token_scope else 403
        status = client.get(url).status_code
        if status != expected:
            failures.append(f"jeton « {scope} » : {status} au lieu de {expected}")
        if scope == route.token_scope:
            ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
            if (status := client.get(url).status_code) != 401:
                failures.append(f"jeton expiré : {status} au lieu de 401")
            ApiToken.objects.filter(pk=token.pk).update(
                expires_at=timezone.now() + timezone.timedelta(days=1),
                revoked_at=timezone.now(),
                revoked_by=world.membership("coordinator_a"),
            )
            if (status := client.get(url).status_code) != 401:
                failures.append(f"jeton révoqué : {status} au lieu de 401")
    assert not failures, f"{name} : " + ", ".join(failures)
