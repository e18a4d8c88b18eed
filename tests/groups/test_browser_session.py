import datetime

import pytest
from django.utils import timezone

from entrepairs.groups.models import GroupSession
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in

from .factories import GroupFactory, GroupSessionFactory, accompanied_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_peer_records_a_session_on_a_phone_then_sees_the_hours(phone_page, world):
    page = phone_page
    group = GroupFactory(
        organisation=world.org_a, name="Entraide du mardi", peers=[world.peer("peer_a")]
    )
    log_in(page, world.user("peer_a"))

    page.goto("/groupes/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Entraide du mardi").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Noter une séance").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)

    # Defaults: today, 1 h 30, the peer present. Only the headcount to type.
    page.get_by_label("Nombre de participant·es").fill("-3")
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.wait_for_load_state()
    assert "ne peut pas être négatif" in page.locator("#form-errors").inner_text()
    assert_no_axe_violations(page)
    assert not GroupSession.objects.exists()

    page.get_by_label("Nombre de participant·es").fill("8")
    page.get_by_label("Durée (minutes)").fill("120")
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.wait_for_url(f"**/groupes/{group.pk}/")
    assert "8 participant·es" in page.get_by_role("status").inner_text()
    assert_no_axe_violations(page)
    session = GroupSession.objects.get()
    assert session.headcount == 8 and session.attendees.count() == 0

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Activités").click()  # the menu groups entries by task
    page.get_by_role("link", name="Mon activité").click()
    page.wait_for_load_state()
    summary = page.locator("#monthly-summary")
    assert "2,0 h" in summary.locator("tr[data-mission=groups]").inner_text()
    assert "100 %" in summary.locator("tr[data-mission=groups]").inner_text()
    assert "Entraide du mardi" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page)


def test_peer_corrects_then_deletes_a_session_on_a_phone(phone_page, world):
    page = phone_page
    group = GroupFactory(
        organisation=world.org_a, name="Entraide du jeudi", peers=[world.peer("peer_a")]
    )
    person = accompanied_person(world, alias="Noé P.")
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    session = GroupSessionFactory(group=group, date=last_week, headcount=5, duration_minutes=60)
    GroupSessionFactory(group=group, date=last_week - datetime.timedelta(days=7))
    log_in(page, world.user("peer_a"))

    page.goto(f"/groupes/{group.pk}/")
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_role("link", name=f"modifier la séance du {last_week:%d/%m/%Y}").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)

    page.get_by_label("Nombre de participant·es").fill("-1")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    page.wait_for_load_state()
    assert "ne peut pas être négatif" in page.locator("#form-errors").inner_text()
    assert_no_axe_violations(page)
    session.refresh_from_db()
    assert session.headcount == 5

    page.get_by_label("Nombre de participant·es").fill("7")
    page.get_by_label("Durée (minutes)").fill("105")
    page.get_by_text("Nommer des participant·es (facultatif)").click()
    page.get_by_label("Noé P.").check()
    page.get_by_role("button", name="Enregistrer les modifications").click()
    page.wait_for_url(f"**/groupes/{group.pk}/")
    assert "modifiée : 7 participant·es" in page.get_by_role("status").inner_text()
    assert_no_axe_violations(page)
    session.refresh_from_db()
    assert (session.headcount, session.duration_minutes) == (7, 105)
    assert list(session.attendees.all()) == [person]

    page.get_by_role("link", name=f"modifier la séance du {last_week:%d/%m/%Y}").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Supprimer cette séance (saisie par erreur)").click()
    page.wait_for_load_state()
    assert "Noé P." in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Supprimer la séance").click()
    page.wait_for_url(f"**/groupes/{group.pk}/")
    assert "supprimée" in page.get_by_role("status").inner_text()
    assert_no_axe_violations(page)
    assert list(GroupSession.objects.values_list("date", flat=True)) == [
        last_week - datetime.timedelta(days=7)
    ]
