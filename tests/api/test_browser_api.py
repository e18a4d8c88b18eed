"""In Chromium: a coordinator creates a token in "Accès API" and the API answers to it; the
documentation UI runs under the project's real CSP (no bypass), its files served locally."""

import pytest
import requests

from entrepairs.api.models import ApiToken
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import AXE_JS
from tests.browser.helpers import log_in
from tests.browser.nav import open_menu_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _warm_live_server(live_server):
    """The first request of a live server imports every URL module (seconds on a loaded
    machine): done here, not inside the page's 10-second navigation timeout."""
    requests.get(f"{live_server.url}/compte/connexion/", timeout=120)


def test_coordinator_creates_a_token_and_calls_the_api(page, live_server, world):
    log_in(page, world.user("coordinator_a"))
    open_menu_entry(page, "Accès API")
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Créer un jeton").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Créer le jeton").click()  # empty: refused, in French
    page.wait_for_load_state()
    assert "Choisissez au moins un droit." in page.content()
    assert_no_axe_violations(page)
    page.get_by_label("Nom du jeton").fill("SIRH de l'établissement")
    page.get_by_label("effectifs : pairs, contrats, formations (SIRH)").check()
    page.get_by_role("button", name="Créer le jeton").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    secret = page.get_by_label("Jeton « SIRH de l'établissement »").input_value()
    assert secret.startswith("ep_")
    answer = requests.get(
        f"{live_server.url}/api/v1/effectifs/pairs/",
        headers={"Authorization": f"Bearer {secret}"},
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.json()["resultats"][0]["id"] == world.peer("peer_a").pk
    page.get_by_role("link", name="Retour aux jetons").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Révoquer").click()
    page.wait_for_load_state()
    assert "révoqué" in page.content()
    assert ApiToken.objects.get().revoked_at is not None
    again = requests.get(
        f"{live_server.url}/api/v1/effectifs/pairs/",
        headers={"Authorization": f"Bearer {secret}"},
        timeout=10,
    )
    assert again.status_code == 401


def test_documentation_runs_under_the_real_csp(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")  # CSP enforced
    page = context.new_page()
    violations, outside = [], []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith((live_server.url, "data:")) else None
        ),
    )
    page.goto("/api/docs/")
    page.wait_for_selector("text=/api/v1/effectifs/pairs/", timeout=15_000)
    page.get_by_text("/api/v1/indicateurs/").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.wait_for_selector("text=peers_in_post", timeout=10_000)
    assert not violations, violations
    assert not outside, outside  # nothing from a CDN or any other origin
    context.close()
    # axe-core is injected as a script: in a context that lets it in.
    checked = browser.new_context(base_url=live_server.url, locale="fr-FR", bypass_csp=True)
    page = checked.new_page()
    page.goto("/api/docs/")
    page.wait_for_selector("text=/api/v1/effectifs/pairs/", timeout=15_000)
    found = axe_rules_violated(page)
    assert found <= SWAGGER_UI_KNOWN, found - SWAGGER_UI_KNOWN
    checked.close()


# Swagger UI's own markup (upstream, third-party): contrast of its method badges, a button
# inside its summary link, its heading levels, content outside the <main> it renders itself.
# Anything else is ours and fails the test.
# docs/api.md is the accessible documentation; this page is a tool for integrators.
SWAGGER_UI_KNOWN = {"color-contrast", "nested-interactive", "heading-order", "region"}


def axe_rules_violated(page) -> set:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    return {v["id"] for v in result["violations"]}
