"""Browser journey: a coordinator invites a professional, who chooses a password and accepts.

axe-core runs on every page visited.
"""

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from entrepairs.accounts.models import Membership, User
from entrepairs.core.roles import Role
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in
from tests.browser.nav import open_menu_entry
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_invites_a_professional(page, world):
    log_in(page, world.user("coordinator_a"))
    open_menu_entry(page, "Équipe et accès")
    page.wait_for_url("**/compte/equipe/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Inviter une personne").click()
    page.wait_for_url("**/equipe/inviter/")
    assert_no_axe_violations(page)

    page.get_by_label("Adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_load_state()
    errors = page.locator("#form-errors").inner_text()
    assert "Saisissez une adresse e-mail valide" in errors and "Indiquez le prénom." in errors
    assert_no_axe_violations(page)
    assert not User.objects.filter(first_name="Léa").exists()

    page.get_by_label("Adresse e-mail").fill("lea.dupont@example.org")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label(re.compile(r"^\s*Nom")).fill("Dupont")
    page.get_by_label("Rôle").select_option(label="professionnel·le")
    page.get_by_label(world.facility_a.name).check()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_url("**/compte/equipe/")
    assert "Invitation envoyée à lea.dupont@example.org" in page.locator("main").inner_text()
    assert "lea.dupont@example.org" in page.locator("table").inner_text()
    assert_no_axe_violations(page)
    membership = User.objects.get(email="lea.dupont@example.org").memberships.get()
    assert membership.role == Role.PROFESSIONAL
    assert list(membership.facilities.all()) == [world.facility_a]

    # The invited person opens the link of the email and chooses a password.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    link = re.search(r"https?://\S+/mot-de-passe/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_label(re.compile(r"^\s*Nouveau mot de passe")).fill("un-mot-de-passe-solide-2025")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("un-mot-de-passe-solide-2025")
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url("**/mot-de-passe/termine/")
    assert_no_axe_violations(page)
    assert User.objects.get(email="lea.dupont@example.org").has_usable_password()
    assert not Membership.objects.get(pk=membership.pk).is_active

    # She logs in: the invitation is shown first, and she accepts it.
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("lea.dupont@example.org")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-solide-2025")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/compte/invitations/**")
    assert world.org_a.name in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name=f"Accepter – {world.org_a.name}").click()
    # A professional sees personal data: the second factor is set up before anything else.
    page.wait_for_url("**/connexion/activer-code/**")
    assert Membership.objects.get(pk=membership.pk).is_active


# Deactivating and cancelling are deliberate: by keyboard, at 1280 px and 320 px -------------

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots/polish"))  # noqa: S108


def tab_to(page, text, limit=150):
    """Press Tab until the focused element's text contains ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; if (!e) return '';"
            " return (e.textContent || e.value || '').replace(/\\s+/g, ' ').trim(); }"
        )
        if text in focused:
            return
    raise AssertionError(f"« {text} » jamais atteint au clavier")


def fits(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.width, f"page de {width} px pour un écran de {page.width} px"


def check(page, name):
    assert_no_axe_violations(page)
    fits(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.width}.png"), full_page=True)


def test_deactivation_and_cancellation_are_confirmed_by_keyboard(sized_page, world):
    page = sized_page
    member = world.membership("professional_a")
    invitation = MembershipFactory(
        organisation=world.org_a,
        role=Role.PEER,
        is_active=False,
        invitation=Membership.Invitation.PENDING,
        invited_first_name="Inès",
        invited_last_name="Moreau",
    )
    log_in(page, world.user("coordinator_a"), check_axe=False)
    page.goto("/compte/equipe/")
    check(page, "team-list")

    # Désactiver opens a page that says for whom and what follows; nothing changed yet.
    tab_to(page, f"Désactiver – {member.team_email}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/equipe/{member.pk}/desactiver/")
    main = page.locator("main").inner_text()
    assert member.team_name in main and "ne pourra plus se connecter" in main
    check(page, "team-deactivate")
    member.refresh_from_db()
    assert member.is_active
    tab_to(page, "Confirmer")
    page.keyboard.press("Enter")
    page.wait_for_url("**/compte/equipe/")
    assert "désactivé : la personne ne peut plus agir" in page.locator("main").inner_text()
    member.refresh_from_db()
    assert not member.is_active

    # Annuler l'invitation: the way back keeps it, Confirmer cancels it.
    tab_to(page, f"Annuler l'invitation – {invitation.team_email}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/equipe/{invitation.pk}/annuler-invitation/")
    assert "Annuler l'invitation de Inès Moreau" in page.locator("h1").inner_text()
    check(page, "team-cancel-invitation")
    tab_to(page, "Garder l'invitation")
    page.keyboard.press("Enter")
    page.wait_for_url("**/compte/equipe/")
    invitation.refresh_from_db()
    assert invitation.invitation == Membership.Invitation.PENDING
    tab_to(page, f"Annuler l'invitation – {invitation.team_email}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/equipe/{invitation.pk}/annuler-invitation/")
    tab_to(page, "Confirmer")
    page.keyboard.press("Enter")
    page.wait_for_url("**/compte/equipe/")
    assert "Invitation de Inès Moreau annulée." in page.locator("main").inner_text()
    check(page, "team-after")
    invitation.refresh_from_db()
    assert invitation.invitation == Membership.Invitation.CANCELLED
