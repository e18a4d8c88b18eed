import pytest
from django.utils import timezone

from entrepairs.accompaniment.models import ConsentPurpose
from entrepairs.evaluation.models import AnonymousResponse, Invitation, PendingAnswer
from entrepairs.evaluation.pool import flush_due_batches
from entrepairs.observatory.periods import Period
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in

from .factories import campaign, consenting_person, space_token
from .test_outcomes import anonymous

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_person_answers_the_satisfaction_questionnaire_through_a_qr_link(phone_page, world):
    from playwright.sync_api import expect

    c = campaign(world)
    _inv, token = Invitation.issue(c, facility=world.facility_a, timepoint="end")
    page = phone_page
    page.goto(f"/evaluation/r/{token}/")  # the address the QR code holds
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Commencer").click()
    page.wait_for_url("**?q=1")
    assert "Question 1 sur 6" in page.locator("h1").inner_text()
    # The next questions come back in the answer to each step, with the draft in the page.
    assert_no_axe_violations(page)
    page.get_by_label("Oui").check()
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator("h1")).to_have_text("Question 2 sur 6")
    page.get_by_label("En partie").check()
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator("h1")).to_have_text("Question 3 sur 6")
    page.get_by_label("Oui").check()
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator("h1")).to_have_text("Question 4 sur 6")
    page.get_by_label("Je ne suis pas concerné·e").check()
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator("h1")).to_have_text("Question 5 sur 6")
    assert_no_axe_violations(page)
    page.get_by_label("8", exact=True).check()
    page.keyboard.press("Enter")  # keyboard only
    expect(page.locator("h1")).to_have_text("Question 6 sur 6")
    assert_no_axe_violations(page)
    page.get_by_label("Voulez-vous dire autre chose ?").fill("Merci à Sam")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url("**/r/merci/")
    assert "Merci" in page.locator("h1").inner_text()
    assert_no_axe_violations(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320  # nothing wider than the phone
    assert PendingAnswer.objects.count() == 1 and not AnonymousResponse.objects.exists()
    c.closed_at = timezone.now()
    c.save(update_fields=["closed_at"])
    flush_due_batches()
    saved = AnonymousResponse.objects.get()
    assert saved.answers["understood"] == "yes" and saved.answers["overall"] == 8
    page.goto(f"/evaluation/r/{token}/")
    assert "déjà été rempli" in page.locator("h1").inner_text()
    assert_no_axe_violations(page)


def test_person_withdraws_a_consent_from_their_space(phone_page, world):
    person = consenting_person(world)
    token = space_token(world, person=person)
    page = phone_page
    page.goto(f"/evaluation/mon-espace/{token}/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Retirer mon accord : participation à l'évaluation").click()
    page.wait_for_url("**/retirer/evaluation/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Oui, je retire mon accord").click()
    page.wait_for_url(f"**/mon-espace/{token}/")
    assert "C'est fait" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    latest = (
        person.consents.filter(purpose=ConsentPurpose.EVALUATION)
        .order_by("-recorded_at", "-pk")
        .first()
    )
    assert latest.given is False


def test_coordinator_reads_the_outcomes_page(page, world):
    base = {"confidence": "yes", "future": "yes", "relatives": "yes", "overall": 7}
    anonymous(world, "a", "satisfaction-personnes", {**base, "understood": "yes"}, n=11)
    anonymous(world, "a", "satisfaction-personnes", {**base, "understood": "no"}, n=3)
    log_in(page, world.user("coordinator_a"))
    page.goto("/evaluation/resultats/")
    assert "Résultats de l'évaluation" in page.locator("h1").inner_text()
    assert "78,6 %" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    # The page offers fixed calendar periods, never free dates: choose this quarter.
    today = timezone.localdate()
    quarter = Period.quarter(today.year, (today.month - 1) // 3 + 1)
    page.get_by_label("Période", exact=True).select_option(quarter.code)
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    assert "régression vers la moyenne" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
