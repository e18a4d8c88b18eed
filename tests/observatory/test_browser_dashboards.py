import pytest

from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import PASSWORD, current_code
from tests.factories import TOTPDeviceFactory

from .test_dashboards import CMP, HOME, accompany

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user):
    """Observers see no personal data: the second factor step may not be asked."""
    device = user.totpdevice_set.filter(confirmed=True).first() or TOTPDeviceFactory(user=user)
    page.goto("/compte/connexion/")
    assert_no_axe_violations(page)
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    if "/connexion/code/" in page.url:
        page.get_by_label("Code à 6 chiffres").fill(current_code(device))
        page.get_by_role("button", name="Valider").click()
        page.wait_for_load_state()


def test_national_observer_reads_both_dashboards(page, world):
    accompany(world, world.org_a, CMP, 3)
    accompany(world, world.org_b, HOME, 14)
    log_in(page, world.user("national_observer"))

    page.goto("/observatoire/national/")
    assert_no_axe_violations(page)
    assert "secret statistique" in page.locator("#persons-table").inner_text()

    page.get_by_role("link", name="Tableau de bord régional").first.click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_label("Région").select_option("32")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    assert "EPSM Alpha" in page.locator("#activity-table").inner_text()


def test_regional_observer_dashboard_on_a_phone(phone_page, world):
    accompany(world, world.org_a, CMP, 12)
    log_in(phone_page, world.user("regional_observer"))
    phone_page.goto("/observatoire/regional/")
    assert_no_axe_violations(phone_page)
    assert "12" in phone_page.locator("#persons-table").inner_text()
