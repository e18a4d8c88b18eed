"""What every page shares, in a real browser: the grouped menu at 1280 px and 320 px and by
keyboard, a focus ring that can be seen (3:1), wide tables as cards on a phone, error pages.

Screenshots go to /tmp/shots/shell/ when that folder exists (to look at them, not to compare).
"""

from pathlib import Path

import pytest

from entrepairs.core.navigation import groups_for
from entrepairs.evaluation.models import Invitation
from tests.evaluation.factories import campaign
from tests.factories import TOTPDeviceFactory

from .axe import assert_no_axe_violations
from .helpers import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/shell")  # noqa: S108 screenshots to look at, never read back


def shot(page, name):
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"test-{name}.png"), full_page=True)


def signed_in_context(browser, live_server, world, persona, width):
    """A browser context carrying the session of ``world.client(persona)`` (second factor
    passed): several roles in one test without a TOTP code each (a code is accepted once)."""
    session = world.client(persona).cookies["sessionid"].value
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        bypass_csp=True,
        viewport={"width": width, "height": 800},
    )
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def document_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


# JavaScript: the contrast of the focus ring of the focused element against what surrounds it
# (the first opaque background among its ancestors), from computed styles, WCAG formula.
FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let node = el.parentElement, bg = [255, 255, 255];
  while (node) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) { bg = c.slice(0, 3); break; }
    node = node.parentElement;
  }
  const ring = rgb(style.outlineColor).slice(0, 3);
  const [hi, lo] = [lum(ring), lum(bg)].sort((a, b) => b - a);
  return {tag: el.tagName, type: el.type || '', outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth), contrast: (hi + 0.05) / (lo + 0.05)};
}"""


def assert_visible_focus(page, what):
    ring = page.evaluate(FOCUS_RING)
    assert ring["outline"] == "solid" and ring["width"] >= 2, f"{what} : {ring}"
    assert ring["contrast"] >= 3, f"{what} : anneau de focus à {ring['contrast']:.2f}:1"


def test_menu_fits_one_line_at_1280_in_every_role(browser, live_server, world):
    for persona in ("peer_a", "professional_a", "coordinator_a", "director_a", "national_observer"):
        page = signed_in_context(browser, live_server, world, persona, 1280)
        page.goto("/")
        toggles = page.locator("#menu .dropdown-toggle")
        expected = len(groups_for(world.membership(persona), "/"))
        assert toggles.count() == expected <= 6
        tops = {round(toggles.nth(i).bounding_box()["y"]) for i in range(expected)}
        assert len(tops) == 1, f"{persona} : le menu tient sur {len(tops)} lignes"
        assert document_width(page) <= 1280, persona
        header = page.locator("header").bounding_box()["height"]
        assert header <= 110, f"{persona} : en-tête de {header} px"
        toggles.first.click()
        assert_no_axe_violations(page)
        shot(page, f"menu-{persona}-1280")
        page.context.close()


def test_menu_by_keyboard_alone(page, world):
    log_in(page, world.user("coordinator_a"))
    page.goto("/")
    page.keyboard.press("Tab")  # skip link
    assert page.evaluate("document.activeElement.className").startswith("visually-hidden")
    page.keyboard.press("Tab")  # logo
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "menu-persons"
    assert_visible_focus(page, "titre du menu")
    page.keyboard.press("Enter")
    toggle = page.locator("#menu-persons")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('dropdown-item')")
    assert_visible_focus(page, "entrée du menu")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "menu-persons"
    # Tab goes on to the next heading (the sub-menu stays closed)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "menu-activity"
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    label = page.evaluate("document.activeElement.textContent").strip()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#menu-activity").evaluate("el => el.classList.contains('active')")
    assert page.locator("h1").count() == 1 and label
    assert_no_axe_violations(page)


def test_menu_at_320_px_opens_and_nothing_overflows(browser, live_server, world):
    page = signed_in_context(browser, live_server, world, "coordinator_a", 320)
    page.goto("/")
    assert page.locator("#menu-team").is_hidden()  # folded behind the "Menu" button
    page.get_by_role("button", name="Menu").click()
    page.locator("#menu-team").click()
    page.get_by_role("link", name="Équipe et accès").wait_for()
    assert document_width(page) <= 320
    assert_no_axe_violations(page)
    shot(page, "menu-coordinator-320")
    page.get_by_role("link", name="Équipe et accès").click()
    page.wait_for_url("**/compte/equipe/")
    page.context.close()


def test_wide_tables_become_cards_on_a_phone(browser, live_server, world):
    page = signed_in_context(browser, live_server, world, "coordinator_a", 320)
    page.goto("/compte/equipe/")
    table = page.locator("main table").first
    assert "table-stack" in table.get_attribute("class")
    assert document_width(page) <= 320
    # A card shows what a sighted reader sees of each header: neither the text meant for
    # screen readers (.visually-hidden) nor the decorative sort marks (aria-hidden ▲ ▼ ⇅).
    headers = (
        table.locator("thead tr")
        .last.locator("th")
        .evaluate_all(
            """cells => cells.map(c => {
            const copy = c.cloneNode(true);
            copy.querySelectorAll(".visually-hidden, [aria-hidden='true']")
                .forEach(n => n.remove());
            return copy.textContent.replace(/\\s+/g, " ").trim();
        })"""
        )
    )
    assert not set("".join(headers)) & set("▲▼⇅"), headers
    first_row = table.locator("tbody tr").first
    labels = first_row.locator("td, th").evaluate_all(
        "cells => cells.map(c => c.getAttribute('data-label'))"
    )
    assert labels == headers[: len(labels)]
    assert first_row.evaluate("tr => getComputedStyle(tr).display") == "block"
    # each cell says its column before its value
    cell = first_row.locator("td, th").nth(1)
    before = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert before.strip('"') == headers[1]
    assert_no_axe_violations(page)
    shot(page, "team-coordinator-320")
    page.set_viewport_size({"width": 1280, "height": 800})  # a desktop keeps the grid
    assert first_row.evaluate("tr => getComputedStyle(tr).display") == "table-row"
    page.context.close()

    page = signed_in_context(browser, live_server, world, "regional_observer", 320)
    page.goto("/observatoire/regional/")
    assert document_width(page) <= 320
    assert_no_axe_violations(page)
    page.context.close()


def test_focus_ring_on_questionnaire_radios_buttons_and_links(phone_page, world):
    c = campaign(world)
    _inv, token = Invitation.issue(c, facility=world.facility_a, timepoint="end")
    page = phone_page
    page.goto(f"/evaluation/r/{token}/")
    page.get_by_role("link", name="Commencer").focus()
    assert_visible_focus(page, "lien")
    page.get_by_role("link", name="Commencer").click()
    page.wait_for_url("**?q=1")
    page.locator("input[type=radio]").first.focus()
    page.keyboard.press("ArrowDown")  # a keyboard user moves between the answers
    assert page.evaluate("document.activeElement.type") == "radio"
    assert_visible_focus(page, "bouton radio du questionnaire")
    shot(page, "radio-focus-320")
    page.get_by_role("button", name="Suivant").focus()
    assert_visible_focus(page, "bouton")
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").focus()
    assert_visible_focus(page, "champ de saisie")


def test_login_and_code_pages_are_finished(phone_page, world):
    page = phone_page
    user = world.user("peer_a")
    page.goto("/compte/connexion/")
    field = page.get_by_label("Adresse e-mail")
    form_width = page.locator("main form").bounding_box()["width"]
    assert field.bounding_box()["width"] >= form_width - 2  # full width, not 208 px
    page.get_by_role("button", name="Se connecter").click()
    summary = page.locator("#form-errors").inner_text()
    assert "Saisissez votre adresse e-mail." in summary and "enregistré" not in summary
    assert_no_axe_violations(page)
    log_in(page, user)  # checks both pages with axe


def test_code_field_is_focused_for_the_one_time_code(page, world):
    user = world.user("peer_a")
    TOTPDeviceFactory(user=user)
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/connexion/code/**")
    focused = page.evaluate(
        "() => [document.activeElement.name, document.activeElement.autocomplete]"
    )
    assert focused == ["token", "one-time-code"]
    assert_no_axe_violations(page)
    shot(page, "code-1280")


@pytest.mark.parametrize("width", [1280, 320])
def test_error_pages_in_the_house_layout(browser, live_server, world, width):
    page = signed_in_context(browser, live_server, world, "peer_a", width)
    response = page.goto("/nulle-part/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page introuvable"
    assert document_width(page) <= width
    assert_no_axe_violations(page)
    shot(page, f"404-{width}")
    response = page.goto("/compte/equipe/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Accès refusé"
    assert_no_axe_violations(page)
    response = page.goto("/gestion/")  # once looped between two login pages
    assert response.status == 403
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Revenir à l'accueil").click()
    page.wait_for_url(f"{live_server.url}/")
    page.context.close()
