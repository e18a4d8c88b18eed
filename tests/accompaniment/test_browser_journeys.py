"""Browser journeys of the accompaniment app, with axe-core on every page visited."""

import datetime

import pytest
from django.utils import timezone

from entrepairs.accompaniment.models import Encounter, RecoveryPlan, Review
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in

from .factories import make_encounter, make_person, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_an_encounter_on_a_phone(phone_page, world):
    page = phone_page
    person = make_person(world, alias="Léa M.", team_sharing=True)
    log_in(page, world.user("peer_a"))
    page.goto("/accompagnement/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Léa M.").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Noter une rencontre").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    # Nothing wider than the 320 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Bad input first: a shared note is fine here, an absurd duration is not.
    page.get_by_label("Durée (minutes)").fill("800")
    page.get_by_label("soutien").check()
    page.get_by_role("button", name="Enregistrer la rencontre").click()
    page.wait_for_load_state()
    assert "entre 1 minute et 12 heures" in page.locator("#form-errors").inner_text()
    assert_no_axe_violations(page)
    assert not Encounter.objects.exists()
    page.get_by_label("Durée (minutes)").fill("50")
    page.get_by_label("Lieu", exact=True).fill("Café du coin")
    page.get_by_label("Note").fill("A parlé de son projet de formation")
    page.get_by_role("button", name="Enregistrer la rencontre").click()
    page.wait_for_load_state()
    assert "enregistrée" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    encounter = Encounter.objects.get()
    assert encounter.accompaniment.person == person
    assert encounter.duration_minutes == 50 and encounter.kinds == ["soutien"]
    assert encounter.date == timezone.localdate()
    assert encounter.note_visibility == "private"


def test_write_a_review_and_see_the_chart(page, world):
    person = make_person(world, alias="Hugo T.")
    plan = make_plan(person)
    housing = plan.domains.get(name="logement")
    earlier = Review.objects.create(plan=plan, date=timezone.localdate().replace(day=1))
    earlier.ratings.create(domain=housing, person_score=3, peer_score=4)
    log_in(page, world.user("peer_a"))
    page.goto(f"/accompagnement/personnes/{person.pk}/plan/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Faire le point").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_label("logement – note de la personne").fill("7")
    page.get_by_label("logement – note du ou de la pair-aidant·e").fill("6")
    page.get_by_label("santé – note de la personne").fill("5")
    page.get_by_role("button", name="Enregistrer le point").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    chart = page.locator("#ratings-chart svg[role='img']")
    assert chart.count() == 1
    assert "Évolution des notes" in chart.get_attribute("aria-label")
    table = page.locator("#ratings-table").inner_text()
    assert "3 / 4" in table and "7 / 6" in table and "5 / –" in table
    assert RecoveryPlan.objects.get().version == 2


def test_withdrawn_consent_hides_the_shared_note_from_the_professional(browser, live_server, world):
    person = make_person(world, alias="Inès B.", team_sharing=True)
    make_encounter(person, note="Souhaite voir le médecin", visibility="team")
    detail = f"/accompagnement/personnes/{person.pk}/"

    def new_page():
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return context, page

    pro_context, pro = new_page()
    log_in(pro, world.user("professional_a"), check_axe=False)
    pro.goto(detail)
    assert "Souhaite voir le médecin" in pro.locator("main").inner_text()
    assert_no_axe_violations(pro)

    peer_context, peer = new_page()
    log_in(peer, world.user("peer_a"), check_axe=False)
    peer.goto(detail)
    peer.get_by_role(
        "link", name="Enregistrer une décision – partage avec l'équipe de soins"
    ).click()
    peer.wait_for_load_state()
    assert_no_axe_violations(peer)
    peer.get_by_label("Finalité").select_option("team_sharing")
    peer.get_by_label("retire son accord").check()
    peer.get_by_role("button", name="Enregistrer la décision").click()
    peer.wait_for_load_state()
    assert "Retrait enregistré" in peer.locator("main").inner_text()
    assert_no_axe_violations(peer)

    response = pro.goto(detail)
    assert response.status == 404
    pro.goto("/accompagnement/")
    assert "Inès B." not in pro.locator("main").inner_text()
    assert_no_axe_violations(pro)
    pro_context.close()
    peer_context.close()


def test_coordinator_pages_are_accessible_and_anonymise_a_person(page, world):
    from entrepairs.accompaniment.models import Person

    from .factories import ResourceFactory, make_referral

    person = make_person(world, alias="Zoé K.")
    make_encounter(person, note="Note privée du pair")
    make_plan(person)
    make_referral(person, ResourceFactory(organisation=world.org_a, name="GEM Les Ailes"))
    log_in(page, world.user("coordinator_a"), check_axe=False)
    for path in (
        "/accompagnement/",
        "/accompagnement/personnes/nouvelle/",
        "/accompagnement/ressources/",
        f"/accompagnement/personnes/{person.pk}/",
        f"/accompagnement/personnes/{person.pk}/export/",
        f"/accompagnement/personnes/{person.pk}/plan/",
    ):
        page.goto(path)
        assert "Note privée du pair" not in page.content()
        assert_no_axe_violations(page)
    page.goto(f"/accompagnement/personnes/{person.pk}/anonymiser/")
    assert_no_axe_violations(page)
    page.get_by_label("Je confirme").check()
    page.get_by_role("button", name="Clore et anonymiser").click()
    page.wait_for_load_state()
    assert "anonymisé" in page.locator("main").inner_text()
    assert "Zoé K." not in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    assert Person.objects.get(pk=person.pk).anonymised_at is not None


def test_correct_an_encounter_from_the_list_on_a_phone(phone_page, world):
    page = phone_page
    person = make_person(world, alias="Noé P.")
    today = timezone.localdate()
    for days in range(12):
        make_encounter(person, date=today - datetime.timedelta(days=days + 1), duration_minutes=30)
    log_in(page, world.user("peer_a"))
    page.goto(f"/accompagnement/personnes/{person.pk}/")
    page.get_by_role("link", name="Voir les 12 rencontres").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    oldest = (today - datetime.timedelta(days=12)).strftime("%d/%m/%Y")
    page.get_by_role("link", name=f"modifier la rencontre du {oldest}").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_label("Durée (minutes)").fill("65")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    page.wait_for_load_state()
    assert "modifiée" in page.locator("main").inner_text()
    assert Encounter.objects.get(date=today - datetime.timedelta(days=12)).duration_minutes == 65
