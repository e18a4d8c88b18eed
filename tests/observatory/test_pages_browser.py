"""The observatory pages in Chromium: axe-clean at 1280 px and 320 px, screenshots, keyboard."""

import os
from pathlib import Path

import pytest

from entrepairs.observatory.periods import Period
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import PASSWORD, current_code
from tests.factories import DepartmentFactory, RegionFactory, TOTPDeviceFactory

from .published_rows import publish_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots/obsui"))  # noqa: S108 - screenshots only


def log_in(page, user):
    device = user.totpdevice_set.filter(confirmed=True).first() or TOTPDeviceFactory(user=user)
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    if "/connexion/code/" in page.url:
        page.get_by_label("Code à 6 chiffres").fill(current_code(device))
        page.get_by_role("button", name="Valider").click()
        page.wait_for_load_state()


def publish(world):
    DepartmentFactory(code="29", name="Finistère", region=RegionFactory(code="53", name="Bretagne"))
    for period in (Period.year(2025), Period.quarter(2025, 1), Period.quarter(2025, 2)):
        publish_world(world, period)


def visit(page, url, name):
    page.goto(url)
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


PAGES = [
    ("national_observer", "/observatoire/national/", "national"),
    (
        "national_observer",
        "/observatoire/national/indicateurs/personnes_accompagnees/?periode=2025-T2",
        "national-indicateur",
    ),
    ("regional_observer", "/observatoire/regional/", "regional"),
    (
        "regional_observer",
        "/observatoire/regional/indicateurs/mieux_compris/",
        "regional-indicateur",
    ),
    ("regional_observer", "/observatoire/departement/59/", "departement"),
    ("director_a", "/observatoire/etablissement/", "etablissement"),
    ("director_a", "/observatoire/etablissement/indicateurs/pairs/", "etablissement-indicateur"),
]


@pytest.mark.parametrize("persona,url,name", PAGES)
def test_pages_are_axe_clean_on_a_desktop(page, world, persona, url, name):
    publish(world)
    log_in(page, world.user(persona))
    visit(page, url, name)


@pytest.mark.parametrize("persona,url,name", PAGES)
def test_pages_are_axe_clean_on_a_phone(phone_page, world, persona, url, name):
    publish(world)
    log_in(phone_page, world.user(persona))
    visit(phone_page, url, name)
    # Nothing wider than the screen except inside a labelled scrolling region (strict: a hidden
    # figure's "secret statistique" once made two indicator pages 324 px wide).
    overflow = phone_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, overflow


def test_definitions_page_is_public_and_axe_clean(page, phone_page, db):
    visit(page, "/observatoire/indicateurs/", "definitions")
    visit(phone_page, "/observatoire/indicateurs/", "definitions")
    page.goto("/observatoire/indicateurs/#mieux_compris")
    assert page.locator("#mieux_compris").is_visible()


def test_period_chooser_works_by_keyboard(page, world):
    publish(world)
    log_in(page, world.user("national_observer"))
    page.goto("/observatoire/national/")
    page.get_by_label("Période", exact=True).focus()
    # Options: 2025 (chosen), then the quarters, newest first: two steps down is 2025-T1.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Période", exact=True).input_value() == "2025-T1"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Afficher"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "periode=2025-T1" in page.url
    assert_no_axe_violations(page)
    # The tables' scrolling regions take the focus, so a keyboard can scroll them.
    page.goto("/observatoire/national/indicateurs/personnes_accompagnees/")
    region = page.get_by_role("region", name="Données de la carte", exact=False).first
    region.focus()
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "region"
