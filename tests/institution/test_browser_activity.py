import re

import pytest

from entrepairs.institution.models import InstitutionalActivity
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_records_a_cross_training_and_checks_pages(page, world):
    log_in(page, world.user("coordinator_a"), check_axe=False)
    page.goto("/institution/nouvelle/")
    assert_no_axe_violations(page)
    page.get_by_label("Type d'action").select_option(
        label="formation croisée usagers–professionnels"
    )
    page.get_by_label("Intitulé").fill("Formation croisée rétablissement")
    page.get_by_label("Durée (minutes)").fill("180")
    page.get_by_label(str(world.peer("peer_a"))).check()
    page.get_by_label("Infirmier·es").fill("9")
    page.get_by_label("Personnes concernées (savoir expérientiel)").fill("6")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    # Both counts are required for a cross-training.
    assert "indiquez les deux effectifs" in page.locator("#form-errors").inner_text()
    assert_no_axe_violations(page)
    page.get_by_label("Professionnel·les", exact=True).fill("9")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    page.wait_for_url(re.compile(r"/institution/\d+/$"))
    assert "Formation croisée rétablissement" in page.locator("h1").inner_text()
    assert_no_axe_violations(page)
    activity = InstitutionalActivity.objects.get()
    assert (activity.lived_experience_count, activity.professionals_count) == (6, 9)

    page.goto("/institution/")
    assert_no_axe_violations(page)
    page.goto("/groupes/nouveau/")
    assert_no_axe_violations(page)
    page.goto(f"/observatoire/pairs/{world.peer('peer_a').pk}/activite/")
    assert "Participation institutionnelle" in page.locator("#monthly-summary").inner_text()
    assert_no_axe_violations(page)
