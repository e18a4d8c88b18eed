"""Error pages in French, in the house layout (logo, footer), with a way back."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.db import DataError
from django.test import Client, override_settings
from django.urls import path

from config import urls as project_urls
from entrepairs.core.access import public

pytestmark = pytest.mark.django_db


@public
def broken(request):
    raise RuntimeError("boom")


@public
def suspicious(request):
    raise SuspiciousOperation("bad")


@public
def refused_by_the_database(request):
    raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")


urlpatterns = [
    path("casse/", broken),
    path("louche/", suspicious),
    path("refuse/", refused_by_the_database),
    *project_urls.urlpatterns,
]


def assert_house_page(page, title, back):
    assert '<html lang="fr">' in page
    assert "img/logo.svg" in page and "Accessibilité" in page  # header and footer
    assert f"<h1>{title}</h1>" in page
    assert f'href="{back}"' in page
    for english in ("Not Found", "Forbidden", "Server Error", "Bad Request", "CSRF verification"):
        assert english not in page


def test_404_in_french_with_the_menu_and_a_way_home(world):
    response = world.client("coordinator_a").get("/nulle-part/")
    assert response.status_code == 404
    page = response.content.decode()
    assert_house_page(page, "Page introuvable", "/")
    assert "Revenir à l&#x27;accueil" in page or "Revenir à l'accueil" in page
    assert 'data-bs-toggle="dropdown"' in page  # the signed-in user keeps the menu


def test_404_for_a_visitor_offers_the_login(client):
    # Signed-out visitors are sent to the login page by the login middleware, except on
    # public pages: the public sector lookup of an unknown commune path is a 404.
    response = client.get("/territoire/secteur-de-ma-commune/inconnue/")
    if response.status_code == 302:
        pytest.skip("no public 404 path")
    assert response.status_code == 404
    assert_house_page(response.content.decode(), "Page introuvable", "/compte/connexion/")


def test_403_in_french_says_what_to_do(world):
    response = world.client("peer_a").get("/compte/equipe/")
    assert response.status_code == 403
    page = response.content.decode()
    assert_house_page(page, "Accès refusé", "/")
    assert "Votre rôle ne donne pas accès à cette page." in page


@override_settings(ROOT_URLCONF=__name__)
def test_500_in_french_without_details():
    client = Client(raise_request_exception=False)
    response = client.get("/casse/")
    assert response.status_code == 500
    page = response.content.decode()
    assert_house_page(page, "Le service a rencontré une erreur", "/compte/connexion/")
    assert "boom" not in page and "RuntimeError" not in page


@override_settings(ROOT_URLCONF=__name__)
def test_400_in_french():
    response = Client().get("/louche/")
    assert response.status_code == 400
    assert_house_page(response.content.decode(), "Demande incorrecte", "/compte/connexion/")


@override_settings(ROOT_URLCONF=__name__)
def test_a_value_the_database_refuses_is_a_400_not_a_500():
    """The net under parameters read outside a form (core.middleware)."""
    response = Client(raise_request_exception=False).get("/refuse/")
    assert response.status_code == 400
    page = response.content.decode()
    assert_house_page(page, "Demande incorrecte", "/compte/connexion/")
    assert "NUL" not in page


@pytest.mark.parametrize("region", ["a\x00b", "1\x00", "\x00"])
def test_a_nul_character_in_an_area_code_is_not_a_500(world, region):
    """Found by the form fuzzer on PostgreSQL: ?region=a%00b reached a text lookup."""
    client = world.client("national_observer")
    for page in ("/observatoire/regional/", "/observatoire/regional/indicateurs/pairs/"):
        response = client.get(page, {"region": region})
        assert response.status_code in (400, 404), (page, response.status_code)


def test_400_for_a_forged_host_header():
    response = Client().get("/compte/connexion/", HTTP_HOST="pirate.example")
    assert response.status_code == 400
    assert "Demande incorrecte" in response.content.decode()


def test_csrf_failure_in_french_says_nothing_was_saved(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/connexion/", {"username": "a@b.fr", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert_house_page(page, "Le formulaire a expiré", "/compte/connexion/")
    assert "rien n&#x27;a été enregistré" in page or "rien n'a été enregistré" in page
    assert "Referer" not in page and "CSRF" not in page  # the reason is for the logs only
