"""Text limits are shown and counted, and a text too long is refused with a message: never
cut by the browser (no ``maxlength``), never cut by the server, nothing half-saved."""

import re

import pytest

from entrepairs.prevention.models import PlanVersion, Recipient
from tests.accompaniment.factories import body

from .factories import make_plan, share, space_token

pytestmark = pytest.mark.django_db

BASE = "/plan-prevention"
BROWSER_LIMIT = re.compile(r"<(?:textarea|input)[^>]*\smaxlength=", re.IGNORECASE)


def form_pages(world):
    plan = make_plan(world)
    draft_plan = make_plan(world, signed=False)
    _recipient, link = share(plan)
    _psy, psychiatrist_link = share(plan)
    return [
        ("peer_a", f"{BASE}/personnes/{draft_plan.person_id}/brouillon/"),
        ("peer_a", f"{BASE}/personnes/{plan.person_id}/destinataires/nouveau/"),
        ("anonymous", f"{BASE}/l/{link}/crise/"),
        ("anonymous", f"{BASE}/l/{psychiatrist_link}/avis/"),
        ("anonymous", f"{BASE}/espace/{space_token(plan.person)}/"),
    ]


def test_no_prevention_form_lets_the_browser_cut_a_text(world):
    for persona, url in form_pages(world):
        page = body(world.client(persona).get(url))
        assert "<textarea" in page or "<input" in page, url
        assert not BROWSER_LIMIT.search(page), url
        # Every textarea announces its limit to the counter and in words.
        for textarea in re.findall(r"<textarea[^>]*>", page):
            assert "data-maxlength=" in textarea, (url, textarea)
        if "<textarea" in page:
            assert "caractères au plus" in page, url


def test_a_section_too_long_is_refused_with_a_message_and_nothing_is_saved(world):
    plan = make_plan(world, signed=False)
    draft = plan.draft
    before = PlanVersion.objects.get(pk=draft.pk).content
    response = world.client("peer_a").post(
        f"{BASE}/personnes/{plan.person_id}/brouillon/",
        {
            "version_id": draft.pk,
            "revision": draft.revision,
            "keeps_well": "Marcher " * 200,  # 1,600 characters, pasted
            "early_signs": "Je dors moins",
        },
    )
    assert response.status_code == 200
    assert "Écrivez au plus 600 caractères (il y en a 1599)" in body(response)
    stored = PlanVersion.objects.get(pk=draft.pk)
    assert stored.content == before and stored.revision == draft.revision
    # The text stays whole in the form, for the person to shorten it.
    assert ("Marcher " * 200).strip() in body(response)


def test_a_recipient_name_too_long_is_refused_not_cut(world):
    plan = make_plan(world)
    response = world.client("peer_a").post(
        f"{BASE}/personnes/{plan.person_id}/destinataires/nouveau/",
        {"kind": "relative", "name": "J" * 130, "means": "oral", "confirm": "on"},
    )
    assert "Écrivez au plus 120 caractères (il y en a 130)" in body(response)
    assert not Recipient.objects.exists()
