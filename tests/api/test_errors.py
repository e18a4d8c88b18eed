"""Errors are JSON in French, for every way a call can go wrong; GET only."""

from django.test import Client
from django.urls import reverse

from entrepairs.api.models import Scope

from .conftest import issue_token, token_client


def test_missing_malformed_and_unknown_tokens(world):
    url = reverse("api:peers")
    cases = (
        ({}, "Cette adresse demande un jeton d'API (en-tête « Authorization: Bearer … »)."),
        (
            {"authorization": "Bearer"},
            "En-tête Authorization invalide : « Bearer <jeton> » attendu.",
        ),
        (
            {"authorization": "Bearer a b"},
            "En-tête Authorization invalide : « Bearer <jeton> » attendu.",
        ),
        ({"authorization": "Bearer ep_00000000_invente"}, "Jeton inconnu, expiré ou révoqué."),
        ({"authorization": "Bearer ep_00000000_inventé"}, "Jeton illisible."),
        (
            {"authorization": "Basic dXNlcjpwYXNz"},
            "Cette adresse demande un jeton d'API (en-tête « Authorization: Bearer … »).",
        ),
    )
    for headers, message in cases:
        response = Client(headers=headers).get(url)
        assert response.status_code == 401, headers
        assert response.json() == {"erreur": message, "code": "non_authentifie"}, headers


def test_missing_scope_is_403_in_french(world):
    _token, secret = issue_token(world, "a", [Scope.ACTIVITY])
    response = token_client(secret).get(reverse("api:peers"))
    assert response.status_code == 403
    assert response.json() == {
        "erreur": "Ce jeton n'a pas le droit « effectifs ».",
        "code": "droit_manquant",
    }


def test_writes_are_refused(world):
    _token, secret = issue_token(world, "a")
    client = token_client(secret)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(reverse("api:peers"))
        assert response.status_code == 405, method
        assert response.json()["code"] == "methode_non_autorisee"
        assert "GET" in response["Allow"]


def test_any_accept_header_gets_json(world):
    response = Client(headers={"accept": "text/html"}).get(reverse("api:indicators"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_documentation_is_served_locally_under_the_csp(world):
    page = Client().get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style" not in html
    for src in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert f"/static/drf_spectacular_sidecar/swagger-ui-dist/{src}" in html
    assert "http" not in html.replace("http-equiv", "")  # no absolute URL, hence no CDN
    script = Client().get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "default-src 'self'" in page["Content-Security-Policy"]
    schema = Client().get(reverse("api:schema"))
    assert schema.status_code == 200
    assert b"/api/v1/effectifs/pairs/" in schema.content
