"""Browser journeys of the workforce app, with axe-core on every page visited."""

import datetime

import pytest
from django.utils import timezone

from entrepairs.workforce.framework_loader import load_default_framework
from entrepairs.workforce.models import CompetencyFramework, MissionCharter
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in
from tests.browser.nav import open_menu_entry

from .factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_writes_a_charter_and_the_three_parties_sign(page, browser, live_server, world):
    peer = world.peer("peer_a")
    lead = world.membership("professional_a")
    log_in(page, world.user("coordinator_a"))
    page.goto(f"/equipe-pairs/pairs/{peer.pk}/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Rédiger une fiche de mission").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_label("Dispositif").select_option(label=str(world.facility_a))
    page.get_by_label("Responsable d'équipe signataire").select_option(
        label=lead.user.get_full_name()
    )
    page.get_by_label("Accompagnement individuel (%)").fill("50")
    page.get_by_label("Groupes (%)").fill("30")
    page.get_by_label("Participation institutionnelle (%)").fill("30")
    page.get_by_label("Missions confiées").fill("Accueil et soutien individuel.")
    page.get_by_label("Ce qui est partagé avec l'équipe").fill("Les orientations.")
    page.get_by_label("Ce qui reste entre le·la pair-aidant·e et la personne").fill("Son histoire.")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert "doivent faire 100 % au total" in page.locator("#form-errors").inner_text()
    assert_no_axe_violations(page)
    page.get_by_label("Participation institutionnelle (%)").fill("20")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/fiches-de-mission/*/")
    assert_no_axe_violations(page)
    charter = MissionCharter.objects.get(peer=peer)
    charter_url = f"/equipe-pairs/fiches-de-mission/{charter.pk}/"
    # The coordinator cannot sign before the peer and the team lead.
    assert page.get_by_role("button", name="Signer la fiche de mission").count() == 0

    # The peer and the team lead sign in their own browser sessions, in turn.
    for persona in ("peer_a", "professional_a"):
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", bypass_csp=True)
        other = context.new_page()
        log_in(other, world.user(persona), check_axe=False)
        other.goto(charter_url)
        assert_no_axe_violations(other)
        other.get_by_role("button", name="Signer la fiche de mission").click()
        other.wait_for_load_state()
        assert "Votre signature est enregistrée." in other.locator("main").inner_text()
        assert_no_axe_violations(other)
        context.close()

    page.goto(charter_url)
    page.get_by_role("button", name="Signer la fiche de mission").click()
    page.wait_for_load_state()
    assert "signée par les trois parties" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    charter.refresh_from_db()
    assert charter.is_fully_signed
    assert list(charter.signatures.values_list("party", flat=True)) == [
        "peer",
        "team_lead",
        "coordinator",
    ]
    assert "signée, non modifiable" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Créer une nouvelle version").is_visible()
    assert page.get_by_role("link", name="Modifier").count() == 0
    page.get_by_role("link", name="Version imprimable").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)


def test_peer_self_assesses_and_sees_the_radar_chart(page, world):
    # A previous transactional test may have flushed the framework shipped by migration.
    if not CompetencyFramework.objects.filter(organisation__isnull=True).exists():
        load_default_framework()
    peer = world.peer("peer_a")
    log_in(page, world.user("peer_a"))
    page.goto(f"/equipe-pairs/pairs/{peer.pk}/portfolio/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="M'auto-évaluer").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_label("Date de l'évaluation").fill("2025-03-01")
    page.get_by_label("Partager son expérience de façon intentionnelle").select_option("3")
    page.get_by_label("Soutenir l'espoir et le pouvoir d'agir").select_option("2")
    page.get_by_label("Trouver sa place dans l'équipe").select_option("4")
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    page.wait_for_load_state()
    chart = page.get_by_role("img", name="Niveau moyen par domaine")
    assert chart.count() == 1
    table = page.locator("#radar-data")
    assert "Mobiliser son savoir expérientiel" in table.inner_text()
    assert "3,0" in table.inner_text() or "3.0" in table.inner_text()
    assert_no_axe_violations(page)


def test_director_lists_contracts_ending_soon(page, world):
    today = timezone.localdate()
    soon = ContractFactory(peer=world.peer("peer_a"), ending_soon=True)
    ContractFactory(
        peer=world.peer("peer_a"),
        kind="cdi",
        start=soon.end + datetime.timedelta(days=1),
        end=None,
    )
    log_in(page, world.user("director_a"))
    open_menu_entry(page, "Équipe des pairs")
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Contrats se terminant bientôt").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    table = page.get_by_role("table")
    assert str(world.peer("peer_a")) in table.inner_text()
    assert soon.end.strftime("%d/%m/%Y") in table.inner_text()
    assert "précaire" in table.inner_text()
    assert today.year <= soon.end.year
