"""The outcomes page at 1280 px and 320 px, axe clean: the period chooser by keyboard, the
holders' unprotected figures and the published figures an observer reads."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from entrepairs.observatory import publishing
from entrepairs.observatory.periods import Period
from tests.accompaniment.factories import make_person
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in

from .factories import signed_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots/prevention"))  # noqa: S108 - screenshots only
LAST_YEAR = timezone.localdate().year - 1


@pytest.mark.parametrize("persona", ["coordinator_a", "director_a"])
def test_outcomes_page(sized_page, world, persona):
    page, width = sized_page, sized_page.width
    for i in range(14):
        person = make_person(world, start=datetime.date(LAST_YEAR - 1, 1, 10))
        if i % 3:
            signed_on(person, datetime.date(LAST_YEAR, 2, 1 + i))
    publishing.publish(Period.year(LAST_YEAR))
    log_in(page, world.user(persona))
    page.goto("/plan-prevention/resultats/")
    page.get_by_label("Période", exact=True).select_option(str(LAST_YEAR))
    page.get_by_role("button", name="Afficher").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    text = page.locator("main").inner_text()
    assert f"?period={LAST_YEAR}" in page.url
    if persona == "coordinator_a":
        assert "non protégés" in text and "Hospitalisations par mode légal" in text
    else:
        assert "Chiffres publiés" in text and "Hospitalisations par mode légal" not in text
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"resultats-{persona}-{width}.png"), full_page=True)
