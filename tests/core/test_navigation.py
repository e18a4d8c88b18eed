"""The menu: grouped by task under at most six headings, the same order for every role, and
only pages the role may open (the declaration of their views)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from entrepairs.core.navigation import GROUPS, NavItem, all_items, groups_for, items_for
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_role_sees_at_most_six_headings_in_the_same_order(world, persona):
    menu = groups_for(world.membership(persona), "/")
    assert 1 <= len(menu) <= 6
    order = list(GROUPS)
    keys = [group["key"] for group in menu]
    assert keys == sorted(keys, key=order.index)
    assert all(group["items"] for group in menu)
    urls = [item["url"] for group in menu for item in group["items"]]
    assert len(urls) == len(set(urls)), "une page offerte deux fois"


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_menu_entry_opens_for_its_role(world, persona):
    client = world.client(persona)
    for item in items_for(world.membership(persona), "/"):
        status = client.get(item["url"], follow=True).status_code  # "Mon dossier" redirects
        assert status == 200, f"{persona} : {item['label']} ({item['url']}) répond {status}"


def test_the_menu_is_rendered_as_headings_with_sub_menus(world):
    page = world.client("coordinator_a").get("/").content.decode()
    for group in groups_for(world.membership("coordinator_a"), "/"):
        assert f'id="menu-{group["key"]}"' in page and str(group["label"]) in page
    assert page.count('data-bs-toggle="dropdown"') == len(
        groups_for(world.membership("coordinator_a"), "/")
    )
    assert "Équipe et accès" in page  # a sub-menu entry


def test_the_heading_of_a_page_below_an_entry_is_marked_current(world):
    membership = world.membership("coordinator_a")
    person_list = next(i for i in items_for(membership, "/") if i["url"] == "/accompagnement/")
    menu = groups_for(membership, "/accompagnement/personnes/12/")
    current = [g for g in menu if g["current"]]
    assert [g["key"] for g in current] == ["persons"]
    entries = [i for g in menu for i in g["items"] if i["current"]]
    assert [e["url"] for e in entries] == [person_list["url"]]
    assert not entries[0]["exact"]
    # The deepest entry wins: the resources page is not "Personnes accompagnées".
    menu = groups_for(membership, "/accompagnement/ressources/")
    (entry,) = [i for g in menu for i in g["items"] if i["current"]]
    assert entry["url"] == "/accompagnement/ressources/" and entry["exact"]


def test_page_marks_the_current_entry_for_assistive_technologies(world):
    page = world.client("coordinator_a").get("/accompagnement/ressources/").content.decode()
    assert (
        'href="/accompagnement/ressources/"\n                             aria-current="page"'
        in page
    )
    assert "(rubrique actuelle)" in page


def test_no_menu_for_anonymous_visitors(client):
    page = client.get("/compte/connexion/").content.decode()
    assert 'data-bs-toggle="dropdown"' not in page


def test_every_app_entry_names_a_known_heading():
    assert all(item.group in GROUPS for item in all_items())
    with pytest.raises(ImproperlyConfigured):
        NavItem("Nulle part", "groups:group_list", group="nowhere")


def test_a_peer_in_the_admin_is_refused_once_not_sent_round_in_circles(world):
    """/gestion/ as a signed-in peer: the admin sent them to its login page, which sent them to
    ours, which sends signed-in users back where they were going… until the browser gave up."""
    client = world.client("peer_a")
    response = client.get("/gestion/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1
    assert "Accès refusé" in response.content.decode()
    response = client.get("/gestion/login/?next=/gestion/")
    assert response.status_code == 403


def test_admin_still_opens_for_staff_and_sends_visitors_to_the_login(world):
    assert world.client("admin").get("/gestion/").status_code == 200
    response = world.client("admin").get("/gestion/login/")
    assert response.status_code == 302 and response["Location"] == "/gestion/"
    response = Client().get("/gestion/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/compte/connexion/")
    assert response.status_code == 200
