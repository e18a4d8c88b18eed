"""The header's search field in Chromium: in the header row at 1280 px without making it wrap,
inside the folded menu at 320 px without overflow, by keyboard, axe clean."""

from pathlib import Path

import pytest

from entrepairs.core.navigation import groups_for
from tests.accompaniment.factories import make_person

from .axe import assert_no_axe_violations
from .test_every_page import document_width, signed_in_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/polish")  # noqa: S108 screenshots to look at, never read back
HEADER_MAX = 110  # px at 1280: the brand row and the context bar, one line each


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


@pytest.mark.parametrize("persona", ["peer_a", "professional_a", "coordinator_a", "director_a"])
def test_header_search_fits_the_header_row_at_1280(browser, live_server, world, persona):
    page = signed_in_context(browser, live_server, world, persona, 1280)
    page.goto("/accompagnement/" if persona != "director_a" else "/")
    field = page.locator("header").get_by_role("searchbox", name="Rechercher", exact=True)
    assert field.is_visible()
    toggles = page.locator("#menu .dropdown-toggle")
    expected = len(groups_for(world.membership(persona), "/"))
    boxes = [toggles.nth(i).bounding_box() for i in range(toggles.count())]
    field_box = field.bounding_box()
    # One row: the menu headings and the field share the brand's line.
    brand = page.locator(".navbar-brand").bounding_box()
    middles = {round(b["y"] + b["height"] / 2) for b in [*boxes, field_box, brand]}
    assert max(middles) - min(middles) <= 4, f"{persona} : {middles}"
    assert toggles.count() == expected
    assert field_box["x"] + field_box["width"] <= 1280
    assert document_width(page) <= 1280
    height = page.locator("header").bounding_box()["height"]
    assert height <= HEADER_MAX, f"{persona} : en-tête de {height} px"
    assert_no_axe_violations(page)
    shot(page, f"header-{persona}-1280")
    page.context.close()


def test_header_search_by_keyboard_at_1280(browser, live_server, world):
    person = make_person(world, "a", alias="Séraphine")
    page = signed_in_context(browser, live_server, world, "coordinator_a", 1280)
    page.goto("/accompagnement/")
    page.locator("#menu .dropdown-toggle").last.focus()
    page.keyboard.press("Tab")  # after the last menu heading comes the search field
    assert page.evaluate("document.activeElement.id") == "header-search-q"
    page.keyboard.type("seraph")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/recherche/?q=seraph" in page.url
    results = page.locator("main").inner_text()
    assert person.alias in results
    # The search page has its own box: the header's steps aside.
    assert page.locator("#header-search-q").count() == 0
    assert_no_axe_violations(page)
    page.context.close()


def test_header_search_folds_into_the_menu_at_320(browser, live_server, world):
    page = signed_in_context(browser, live_server, world, "coordinator_a", 320)
    page.goto("/accompagnement/")
    field = page.locator("#header-search-q")
    assert field.is_hidden()  # folded behind the "Menu" button
    assert document_width(page) <= 320
    shot(page, "header-coordinator-320-closed")
    page.get_by_role("button", name="Menu").click()
    page.locator("#menu.show").wait_for()
    assert field.is_visible()
    box = field.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert document_width(page) <= 320
    assert_no_axe_violations(page)
    shot(page, "header-coordinator-320-open")
    field.fill("abc")
    with page.expect_navigation():
        field.press("Enter")
    assert "/recherche/?q=abc" in page.url
    page.context.close()


def test_observers_get_no_search_field(browser, live_server, world):
    page = signed_in_context(browser, live_server, world, "national_observer", 1280)
    page.goto("/observatoire/national/")
    assert page.locator("#header-search-q").count() == 0
    assert page.get_by_role("search").count() == 0
    page.context.close()
