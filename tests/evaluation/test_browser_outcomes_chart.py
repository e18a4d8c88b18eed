import pytest

from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in

from .test_outcomes_chart import URL, followed_up

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_coordinator_reads_the_before_after_chart(page, world):
    followed_up(world, 11)
    log_in(page, world.user("coordinator_a"))
    page.goto(URL)
    chart = page.get_by_role("img", name="Scores moyens avant et après", exact=False)
    assert "avant 40,0, après 52,0 (n = 11)" in chart.get_attribute("aria-label")
    assert_no_axe_violations(page)
