"""The recipient's link page and the two confirmation pages (new link, withdraw a sharing) at
1280 px and on a 320 px phone, by keyboard, axe clean: reloading shows the same link; only
the confirmed replacement kills the old one, which then says so."""

import os
from pathlib import Path

import pytest

from entrepairs.prevention.models import Recipient
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in

from .factories import make_plan, share

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots/prevention"))  # noqa: S108 - screenshots only


def check(page, width, name):
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def press(page, locator):
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_link_shown_again_then_replaced_then_withdrawn(sized_page, world):
    page, width = sized_page, sized_page.width
    plan = make_plan(world)
    recipient, old = share(plan, name="Dr Kerbrat")
    log_in(page, world.user("peer_a"))
    page.goto(f"/plan-prevention/personnes/{plan.person_id}/")
    press(
        page, page.get_by_role("link", name="Voir ou imprimer son lien – Dr Kerbrat (psychiatre)")
    )
    check(page, width, "lien")
    first = page.locator("#recipient-url").inner_text()
    assert first.endswith(f"/l/{old}/")
    page.reload()
    assert page.locator("#recipient-url").inner_text() == first  # reloading changes nothing

    press(page, page.get_by_role("link", name="faire un nouveau lien"))
    check(page, width, "nouveau-lien")
    assert "cessera de marcher tout de suite" in page.locator("main").inner_text()
    press(page, page.get_by_role("button", name="Remplacer le lien"))
    new = page.locator("#recipient-url").inner_text()
    assert new != first and "l'ancien ne fonctionne plus" in page.locator("main").inner_text()

    reader = page.context.new_page()
    assert reader.goto(first).status == 410
    assert "Ce lien a été remplacé" in reader.locator("main").inner_text()
    check(reader, width, "lien-remplace")
    assert reader.goto(new).status == 200
    reader.close()

    page.goto(f"/plan-prevention/personnes/{plan.person_id}/")
    press(page, page.get_by_role("link", name="Retirer ce partage… – Dr Kerbrat (psychiatre)"))
    check(page, width, "retirer-partage")
    press(page, page.get_by_role("button", name="Retirer ce partage"))
    assert "Le partage est retiré" in page.locator("main").inner_text()
    assert not Recipient.objects.get().is_active
