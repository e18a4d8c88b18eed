"""Browser journeys of the homes (issue 11, point 7) and of the search, at 1280 and 320 px,
with axe-core on every page visited. Screenshots go to /tmp/shots/homes/."""

import datetime
import os
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone

from entrepairs.accompaniment.models import Consent, ConsentPurpose, Encounter
from tests.accompaniment.factories import make_encounter, make_person
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in
from tests.groups.factories import GroupFactory
from tests.workforce.factories import ContractFactory, SupervisionSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# /tmp/shots/homes unless SCREENSHOTS_DIR says otherwise.
SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", tempfile.gettempdir())) / "shots" / "homes"
TODAY = timezone.localdate()


# The header is the shell's (issue 11, point 1, still wide at 1280 px with every menu entry):
# what this page adds must fit.
FITS = """() => {
  const main = document.querySelector('main');
  return [...main.querySelectorAll('*')].every(e => e.getBoundingClientRect().right <= innerWidth + 1);
}"""


def fits(page) -> bool:
    return page.evaluate(FITS)


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def a_peers_day(world):
    peer = world.peer("peer_a")
    lea = make_person(world, alias="Léa M.")
    make_encounter(lea, date=TODAY - datetime.timedelta(days=3))
    closed = make_person(world, alias="Hugo T.")
    accompaniment = closed.accompaniments.first()
    accompaniment.end = TODAY - datetime.timedelta(days=1)
    accompaniment.save()
    withdrew = make_person(world, alias="Inès B.")
    Consent.decide(withdrew, ConsentPurpose.CONTACT, False, Consent.Means.PERSON_SPACE)
    GroupFactory(
        organisation=world.org_a,
        name="Groupe d'entraide du mardi",
        peers=[peer],
        usual_schedule="le mardi de 14 h à 16 h",
    )
    SupervisionSessionFactory(
        organisation=world.org_a, date=TODAY - datetime.timedelta(days=95), participants=[peer]
    )
    return lea


@pytest.mark.parametrize("width", [1280, 320])
def test_a_peer_starts_the_day_and_notes_an_encounter_in_one_tap(
    browser, live_server, world, width
):
    lea = a_peers_day(world)
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        bypass_csp=True,
        viewport={"width": width, "height": 800},
        is_mobile=width < 600,
        has_touch=width < 600,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, world.user("peer_a"))
    page.goto("/")
    assert_no_axe_violations(page)
    main = page.locator("main").inner_text()
    assert "Personnes vues récemment" in main and "Léa M." in main
    assert "accompagnement clos" in main  # Hugo: no button
    assert "En retard" in main  # supervision
    assert "Groupe d'entraide du mardi" in main
    assert "Inès B. a retiré son accord" in main
    assert fits(page)
    shot(page, f"peer_home_{width}")
    # Only two "Noter une rencontre" buttons: Léa and Inès (Hugo's accompaniment is closed).
    buttons = page.get_by_role("link", name="Noter une rencontre", exact=False)
    assert buttons.count() == 2
    page.get_by_role("link", name="Noter une rencontre avec Léa M.").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_label("soutien").check()
    page.get_by_role("button", name="Enregistrer la rencontre").click()
    page.wait_for_load_state()
    assert "enregistrée" in page.locator("main").inner_text()
    assert Encounter.objects.filter(accompaniment__person=lea, date=TODAY).exists()
    page.goto("/")
    assert_no_axe_violations(page)
    first = page.locator("#recent-person-list li").first.inner_text()
    assert "Léa M." in first and "vue le" in first
    context.close()


@pytest.mark.parametrize("width", [1280, 320])
def test_coordinator_home_and_search(browser, live_server, world, width):
    make_person(world, alias="Élodie R.")
    ContractFactory(
        peer=world.peer("peer_a"),
        kind="cdd",
        start=TODAY - datetime.timedelta(days=300),
        end=TODAY + datetime.timedelta(days=40),
    )
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        bypass_csp=True,
        viewport={"width": width, "height": 800},
        is_mobile=width < 600,
        has_touch=width < 600,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, world.user("coordinator_a"))
    page.goto("/")
    assert_no_axe_violations(page)
    assert "Contrats qui se terminent" in page.locator("main").inner_text()
    assert fits(page)
    shot(page, f"coordinator_home_{width}")
    home = page.locator("main")  # the home's own box (the header has a compact one too)
    home.get_by_label("Rechercher").fill("elodie")
    home.get_by_role("button", name="Rechercher").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    assert page.get_by_role("link", name="Élodie R., né·e en 1985").count() == 1
    shot(page, f"search_{width}")
    page.get_by_label("Mots à rechercher").fill("   ")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    assert "Saisissez un mot à rechercher." in page.locator("main").inner_text()
    assert fits(page)
    shot(page, f"search_error_{width}")
    context.close()
