"""Browser journey: a coordinator records a new peer, with axe-core on every page visited."""

import re

import pytest

from entrepairs.core.roles import Role
from entrepairs.workforce.models import PeerWorker
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_creates_a_peer(page, world):
    account = UserFactory(first_name="Nadia", last_name="Benali", email="nadia@example.org")
    MembershipFactory(user=account, organisation=world.org_a, role=Role.PEER)
    log_in(page, world.user("coordinator_a"))
    page.goto("/equipe-pairs/pairs/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Nouveau ou nouvelle pair-aidant·e").click()
    page.wait_for_url("**/pairs/nouveau/")
    assert_no_axe_violations(page)

    page.get_by_label("Prénom").fill("Nadia")
    page.get_by_label(world.facility_a.name).fill("150")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    errors = page.locator("#form-errors").inner_text()
    assert "Indiquez le nom." in errors and "comprise entre 1 et 100 %" in errors
    assert_no_axe_violations(page)
    assert not PeerWorker.objects.filter(first_name="Nadia").exists()

    page.get_by_label(re.compile(r"^\s*Nom")).fill("Benali")
    page.get_by_label("Titre").select_option(label="médiateur·rice de santé pair")
    page.get_by_label("Statut").select_option(label="en formation")
    page.get_by_label("Compte utilisateur (facultatif)").select_option(
        label="Nadia Benali (nadia@example.org)"
    )
    page.get_by_label(world.facility_a.name).fill("60")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/pairs/*/")
    assert "Pair-aidant·e enregistré·e." in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    peer = PeerWorker.objects.get(user=account)
    assert peer.employer == world.org_a and peer.deployments.get().facility == world.facility_a

    page.get_by_role("link", name="Modifier").click()
    page.wait_for_url("**/modifier/")
    assert_no_axe_violations(page)
    page.get_by_label("Statut").select_option(label="en poste")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/pairs/{peer.pk}/")
    assert_no_axe_violations(page)
    peer.refresh_from_db()
    assert peer.status == PeerWorker.Status.IN_POST
