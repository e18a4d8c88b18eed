"""Lists in a real browser: sort by keyboard, filter, reset, export, at 1280 px and 320 px."""

import csv
import io
import os
from pathlib import Path

import pytest

from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in
from tests.workforce.factories import ContractFactory
from tests.workforce.test_list_controls import make_peer

from .factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set SHOTS_DIR to keep screenshots of the pages (e.g. SHOTS_DIR=/tmp/shots/lists).
SHOTS = os.environ.get("SHOTS_DIR")


def shoot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def seed(world):
    for alias, year, share in (
        ("Basile", 1990, True),
        ("Anouk", 1975, False),
        ("Dora", 2001, True),
    ):
        make_person(world, alias=alias, birth_year=year, team_sharing=share)
    for name, kind in (("Martin", "cdi"), ("Bernard", "cdd"), ("Durand", "pec")):
        ContractFactory(peer=make_peer(world, name), kind=kind)


def aliases(page):
    return page.locator("tbody th[scope=row]").all_inner_texts()


@pytest.mark.parametrize("width", [1280, 320])
def test_coordinator_sorts_filters_resets_and_exports(browser, live_server, world, width):
    seed(world)
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        bypass_csp=True,
        viewport={"width": width, "height": 900 if width > 400 else 640},
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, world.user("coordinator_a"), check_axe=False)
        page.goto("/accompagnement/")
        assert_no_axe_violations(page)
        # Sort by keyboard: focus the header link, press Enter.
        page.get_by_role("link", name="Pseudonyme (trier par cette colonne)").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert aliases(page) == ["Anouk", "Basile", "Dora"]
        header = page.locator("th[aria-sort]")
        assert header.get_attribute("aria-sort") == "ascending"
        with page.expect_navigation():
            page.get_by_role("link", name="Pseudonyme (trié par ordre croissant").click()
        assert aliases(page) == ["Dora", "Basile", "Anouk"]
        # Filter, keeping the sort.
        page.get_by_label("Partage avec l'équipe").select_option(label="oui")
        with page.expect_navigation():
            page.get_by_role("button", name="Filtrer").click()
        assert aliases(page) == ["Dora", "Basile"]
        assert_no_axe_violations(page)
        shoot(page, f"personnes-{width}")
        # The export holds the filtered, sorted list.
        with page.expect_download() as download_info:
            page.get_by_role("link", name="CSV (Excel, séparateur point-virgule)").click()
        download = download_info.value
        assert download.suggested_filename.startswith("personnes-")
        text = Path(download.path()).read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert [r[0] for r in rows[1:]] == ["Dora", "Basile"]
        with page.expect_navigation():
            page.get_by_role("link", name="Réinitialiser").click()
        assert sorted(aliases(page)) == ["Anouk", "Basile", "Dora"]

        page.goto("/equipe-pairs/contrats/?tri=type")
        assert_no_axe_violations(page)
        shoot(page, f"contrats-{width}")
        assert page.locator("tbody th[scope=row]").first.inner_text() == "Bernard Bernard"
    finally:
        context.close()
