import pytest

from entrepairs.core.roles import Role
from tests.factories import MembershipFactory, TOTPDeviceFactory

from .axe import assert_no_axe_violations
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_with_second_factor_and_switch_organisation(page, world):
    user = world.user("coordinator_a")
    MembershipFactory(user=user, organisation=world.org_b, role=Role.PROFESSIONAL)
    log_in(page, user)
    context = page.locator("#current-context")
    assert "CH Bêta" in context.inner_text()  # memberships are ordered by organisation name
    assert_no_axe_violations(page)

    page.get_by_label("Changer d'organisation").select_option(
        label="EPSM Alpha – coordinateur·rice"
    )
    page.get_by_role("button", name="Changer", exact=True).click()
    page.wait_for_load_state()
    assert "EPSM Alpha" in page.locator("#current-context").inner_text()
    assert "coordinateur·rice" in page.locator("#current-context").inner_text()
    assert "pairs en poste" in page.locator("main").inner_text()
    assert_no_axe_violations(page)


def test_wrong_code_is_refused_in_french(page, world):
    user = world.user("peer_a")
    TOTPDeviceFactory(user=user)
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill("motdepasse-solide-42")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/connexion/code/**")
    page.get_by_label("Code à 6 chiffres").fill("000000")
    page.get_by_role("button", name="Valider").click()
    assert "n'est pas valide" in page.locator("#form-errors").inner_text()
    assert_no_axe_violations(page)
    page.goto("/")
    assert "/connexion/code/" in page.url  # still not through the second factor


def test_find_the_sector_of_a_commune(page, world):
    facility = world.facility_a
    page.goto("/territoire/secteur-de-ma-commune/")
    assert_no_axe_violations(page)
    page.get_by_label("Nom de la commune ou code INSEE").fill("lille")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_load_state()
    section = page.get_by_role("region", name="Lille (59350)")
    assert "59G21" in section.inner_text()
    assert facility.name in section.inner_text()
    assert_no_axe_violations(page)
