import pytest

from entrepairs.evaluation.models import Invitation
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in

from .factories import campaign

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_coordinator_closes_a_campaign_and_its_link_says_finished(page, phone_page, world):
    c = campaign(world)
    invitation, token = Invitation.issue(c, facility=world.facility_a, timepoint="once")
    log_in(page, world.user("coordinator_a"))
    page.goto(f"/evaluation/campagnes/{c.pk}/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Clore la campagne").click()
    page.wait_for_url(f"**/campagnes/{c.pk}/clore/")
    assert "1 invitation en attente" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Clore la campagne").click()
    page.wait_for_url(f"**/campagnes/{c.pk}/")
    assert "Campagne close le" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    c.refresh_from_db()
    assert c.closed_at is not None

    phone_page.goto(f"/evaluation/r/{token}/")
    assert "Ce questionnaire est terminé. Merci." in phone_page.locator("h1").inner_text()
    assert_no_axe_violations(phone_page)
    invitation.refresh_from_db()
    assert not invitation.is_used
