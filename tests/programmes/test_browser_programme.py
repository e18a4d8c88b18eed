import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from entrepairs.programmes.models import Programme, Status, StatusChange
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in

from .factories import FundingFactory
from .test_views import _readiness

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Screenshots for a person to look at: SHOTS_DIR=/tmp/shots/programmes pytest -m browser …
SHOTS = os.environ.get("SHOTS_DIR")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def test_director_describes_the_programme_and_reads_its_maturity(page, world):
    log_in(page, world.user("director_a"), check_axe=False)
    page.goto("/programme/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Décrire le programme").click()
    page.get_by_label("Début du programme").fill("2023-02-01")
    page.get_by_label("Inscrit au projet d'établissement le").fill("2024-06-15")
    page.get_by_label("Inscrit dans la démarche QVT le").fill("2024-09-01")
    page.get_by_role("button", name="Enregistrer").click()
    # A QVT date without the box ticked: a French message, nothing saved.
    assert "Cochez" in page.locator("#form-errors").inner_text()
    assert_no_axe_violations(page)
    assert not Programme.objects.exists()
    page.get_by_label("Inscrit dans la démarche qualité de vie au travail (QVT)").check()
    page.get_by_label(world.facility_a.name).check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/programme/")
    programme = Programme.objects.get()

    page.get_by_role("link", name="Changer le statut").click()
    assert_no_axe_violations(page)
    page.get_by_label("expérimental").check()
    page.get_by_label("À compter du").fill("2023-02-01")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/programme/")
    page.get_by_role("link", name="Changer le statut").click()
    page.get_by_label("pilote").check()
    page.get_by_label("À compter du").fill("2024-09-01")
    page.get_by_label("Décision ou motif").fill("Décision du directoire")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/programme/")
    assert programme.status_on(datetime.date(2024, 8, 31)) == Status.EXPERIMENTAL
    assert StatusChange.objects.count() == 2

    page.get_by_role("link", name="Ajouter un financement").click()
    page.get_by_label("Source").select_option("fir")
    page.get_by_label("Montant (euros)").fill("4500000000")
    page.get_by_label("Début").fill("2024-09-01")
    page.get_by_label("Fin").fill("2024-01-01")
    page.get_by_role("button", name="Enregistrer").click()
    errors = page.locator("#form-errors").inner_text()
    assert "invraisemblable" in errors and "après le début" in errors
    assert_no_axe_violations(page)
    page.get_by_label("Montant (euros)").fill("84 000")
    page.get_by_label("Fin").fill((timezone.localdate() + datetime.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/programme/")
    FundingFactory(programme=programme, source="own_budget", ends_on=None, amount=30000)
    page.reload()
    assert "se termine bientôt" in page.content()
    assert_no_axe_violations(page)
    _shot(page, "programme-1280.png")

    _readiness(world, datetime.date(2024, 3, 1), 12, "partly")
    _readiness(world, datetime.date(2025, 3, 1), 7, "yes")
    page.goto("/programme/maturite/")
    assert "Moins de 11 réponses" in page.content()
    assert_no_axe_violations(page)
    _shot(page, "maturite-1280.png")


def test_programme_pages_on_a_phone(phone_page, world):
    programme = Programme.objects.create(
        organisation=world.org_a,
        name="Programme de pair-aidance",
        started_on=datetime.date(2023, 1, 2),
    )
    StatusChange.objects.create(
        programme=programme, status="experimental", effective_on=programme.started_on
    )
    FundingFactory(
        programme=programme,
        label="Appel à projets 2023",
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    _readiness(world, datetime.date(2025, 3, 1), 14, "partly")
    log_in(phone_page, world.user("coordinator_a"), check_axe=False)
    for path, name in (("/programme/", "programme"), ("/programme/maturite/", "maturite")):
        phone_page.goto(path)
        assert_no_axe_violations(phone_page)
        _shot(phone_page, f"{name}-320.png")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        widest = phone_page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 321)"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className).join(' ')"
        )
        assert width <= 320, f"{path}: {width} px ({widest})"
