"""Browser: find the sector of a commune on a phone, with errors and demo data, no axe violation."""

import pytest

from tests.browser.axe import assert_no_axe_violations
from tests.factories import CommuneFactory, DepartmentFactory, FacilityFactory, SectorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_on_a_phone_by_code_then_by_name(phone_page):
    corse = DepartmentFactory(code="2A", name="Corse-du-Sud")
    ajaccio = CommuneFactory(code="2A004", name="Ajaccio", department=corse)
    sector = SectorFactory(code="2AG01D", is_demo=True)
    sector.communes.add(ajaccio)
    FacilityFactory(name="CMP du Finosello", organisation=sector.organisation, sector=sector)

    page = phone_page
    page.goto("/territoire/secteur-de-ma-commune/")
    field = page.get_by_label("Nom de la commune ou code INSEE")
    field.fill("a")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_load_state()
    assert "Saisissez au moins 2 caractères" in page.locator("#search-error").inner_text()
    assert_no_axe_violations(page)

    page.get_by_label("Nom de la commune ou code INSEE").fill("2a004")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_load_state()
    section = page.get_by_role("region", name="Ajaccio (2A004)")
    text = section.inner_text()
    assert "2AG01D" in text
    assert "donnée de démonstration" in text
    assert "CMP du Finosello" in text
    assert_no_axe_violations(page)

    page.get_by_label("Nom de la commune ou code INSEE").fill("atlantide")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_load_state()
    assert "Aucune commune" in page.locator("#search-error").inner_text()
    assert_no_axe_violations(page)
