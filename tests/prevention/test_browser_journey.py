"""The whole journey of a plan on a 320 px phone, by keyboard, with axe-core on every page:
first draft, signature, sharing with two recipients, one reading, a crisis record, the
withdrawal of one recipient, confirmed (their link says so at once) and the revocation."""

import pytest
from django.utils import timezone

from entrepairs.evaluation.models import PersonSpaceLink
from entrepairs.prevention.models import CrisisRecord, PlanVersion, ReadRecord
from tests.accompaniment.factories import make_person
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page):
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def press(page, locator, key="Enter"):
    """Keyboard only: focus the control, then press a key (Enter follows a link or submits
    a form: wait for the next page)."""
    locator.focus()
    if key == "Enter":
        with page.expect_navigation():
            page.keyboard.press(key)
    else:
        page.keyboard.press(key)


def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        bypass_csp=True,
        viewport={"width": 320, "height": 640},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def share(page, kind, name):
    press(page, page.get_by_role("link", name="Ajouter un destinataire"))
    check(page)
    page.get_by_label("Qui est-ce ?").select_option(label=kind)
    page.get_by_label("Son nom").fill(name)
    press(page, page.get_by_label("La personne a choisi de partager"), "Space")
    press(page, page.get_by_role("button", name="Enregistrer le partage"))
    check(page)
    url = page.locator("#recipient-url").inner_text()
    press(page, page.get_by_role("link", name="Revenir au plan"))
    return url


def test_a_plan_from_first_draft_to_revocation(phone_page, browser, live_server, world):
    page = phone_page
    person = make_person(world, alias="Léa M.")
    log_in(page, world.user("peer_a"))
    page.goto(f"/plan-prevention/personnes/{person.pk}/")
    check(page)
    press(page, page.get_by_role("button", name="Commencer le plan avec la personne"))
    check(page)
    # First encounter: a few words; second encounter: more.
    page.get_by_label("Ce qui m'aide à aller bien").fill("Marcher le matin")
    press(page, page.get_by_role("button", name="Enregistrer le brouillon"))
    assert "Le brouillon est enregistré" in page.locator("main").inner_text()
    check(page)
    press(page, page.get_by_role("link", name="Continuer le brouillon"))
    page.get_by_label("Les traitements que je refuse, et pourquoi").fill("Pas de Haldol")
    page.get_by_label("Sur ma carte : qui appeler").fill("Ma sœur Zéphyrine")
    page.get_by_label("Sur ma carte : son numéro de téléphone").fill("06 12 34 56 78")
    press(page, page.get_by_role("button", name="Enregistrer le brouillon"))
    # The person signs, in person, with their peer.
    press(page, page.get_by_role("link", name="Faire signer la personne"))
    check(page)
    press(page, page.get_by_label("La personne a relu son plan et le signe"), "Space")
    press(page, page.get_by_role("button", name="Enregistrer la signature"))
    assert "Le plan est signé" in page.locator("main").inner_text()
    check(page)
    assert PlanVersion.objects.get().signed_at is not None
    # Sharing with two recipients, each with a link of their own.
    psychiatrist = share(page, "psychiatre", "Dr Kerbrat")
    sister = share(page, "proche", "Ma sœur Zéphyrine")
    assert psychiatrist != sister

    context, other = phone(browser, live_server)
    # The psychiatrist reads it, then records a crisis.
    other.goto(psychiatrist)
    assert "Pas de Haldol" in other.locator("main").inner_text()
    check(other)
    assert ReadRecord.objects.filter(channel="link").count() == 1
    press(other, other.get_by_role("link", name="Noter que le plan a été consulté"))
    check(other)
    other.get_by_label("Date de la crise").fill(timezone.localdate().isoformat())
    press(other, other.get_by_label("en partie"), "Space")
    other.get_by_label("Pourquoi ?").fill("Pas de place à la clinique choisie")
    press(other, other.get_by_role("button", name="Enregistrer"))
    assert "c'est noté" in other.locator("main").inner_text()
    check(other)
    assert CrisisRecord.objects.get().respected == "partly"

    # The person, in their space, sees who read it and the crisis, then withdraws the sister.
    _link, token = PersonSpaceLink.issue(person)
    other.goto(f"/plan-prevention/espace/{token}/")
    check(other)
    text = other.locator("main").inner_text()
    assert "Dr Kerbrat (psychiatre)" in text and "en partie" in text
    press(
        other, other.get_by_role("link", name="Ne plus partager… avec Ma sœur Zéphyrine (proche)")
    )
    check(other)  # the confirmation says what follows, in plain words
    assert "Son lien ne marchera plus" in other.locator("main").inner_text()
    press(other, other.get_by_role("button", name="Oui, ne plus partager"))
    assert "ne peut plus lire votre plan" in other.locator("main").inner_text()
    check(other)
    response = other.goto(sister)
    assert response.status == 410
    assert "Ce partage a été retiré" in other.locator("main").inner_text()
    check(other)
    assert other.goto(psychiatrist).status == 200
    # Then revokes the plan: nobody reads it any more.
    other.goto(f"/plan-prevention/espace/{token}/")
    press(other, other.get_by_label("Je retire mon plan"), "Space")
    press(other, other.get_by_role("button", name="Retirer mon plan"))
    assert "votre plan est retiré" in other.locator("main").inner_text()
    check(other)
    other.goto(psychiatrist)
    text = other.locator("main").inner_text()
    assert "n'est pas en vigueur" in text and "Pas de Haldol" not in text
    check(other)
    context.close()
