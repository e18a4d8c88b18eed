"""A recipient reads through their own link; the person, in their space, reads, signs,
prepares changes, sees who read it, withdraws a recipient and revokes the plan."""

import datetime
import re

import pytest
from django.utils import timezone

from entrepairs.accompaniment.rights import anonymise_person
from entrepairs.core.models import AccessEvent
from entrepairs.core.redaction import REDACTED
from entrepairs.evaluation.models import PersonSpaceLink
from entrepairs.prevention.models import (
    CrisisRecord,
    PlanVersion,
    PreventionPlan,
    PsychiatristComment,
    ReadRecord,
    RecipientKind,
)
from entrepairs.prevention.pdf import CARD_SIZE_MM, card_lines
from entrepairs.prevention.reading import reading_of
from tests.accompaniment.factories import body

from .factories import SECRET, make_plan, share, space_token

pytestmark = pytest.mark.django_db
BASE = "/plan-prevention"


def test_every_read_through_a_link_is_recorded_and_logged(world):
    plan = make_plan(world)
    recipient, token = share(plan)
    response = world.client("anonymous").get(f"{BASE}/l/{token}/")
    assert "no-store" in response["Cache-Control"]
    page = body(response)
    assert SECRET in page and "Donner mon avis de psychiatre" in page
    read = ReadRecord.objects.get()
    assert (read.recipient, read.channel, read.version) == (recipient, "link", plan.in_force)
    event = AccessEvent.objects.about("prevention.preventionplan", plan.pk).get()
    assert (event.action, event.role, event.user) == ("view", "recipient:psychiatrist", None)


def test_no_link_token_is_kept_in_the_audit_log(world):
    plan = make_plan(world)
    _r, token = share(plan)
    space = space_token(plan.person)
    anonymous = world.client("anonymous")
    anonymous.get(f"{BASE}/l/{token}/")
    anonymous.post(f"{BASE}/l/{token}/avis/", {"stance": "agree"})
    anonymous.get(f"{BASE}/espace/{space}/")
    paths = list(AccessEvent.objects.values_list("path", flat=True))
    assert len(paths) == 3 and all(REDACTED in p for p in paths)
    assert not [p for p in paths if token in p or space in p]


def test_unknown_links_answer_404_and_say_nothing(world):
    plan = make_plan(world)
    anonymous = world.client("anonymous")
    for token in ("x" * 32, "", plan.person.alias):
        response = anonymous.get(f"{BASE}/l/{token}/") if token else None
        if response is not None:
            assert response.status_code == 404
            assert plan.person.alias not in body(response)


def test_crisis_record_with_bad_input_saves_nothing(world):
    plan = make_plan(world)
    _r, token = share(plan, RecipientKind.CRISIS_SERVICE, "SAMU")
    anonymous = world.client("anonymous")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = anonymous.post(
        f"{BASE}/l/{token}/crise/", {"crisis_on": tomorrow.isoformat(), "respected": "not"}
    )
    page = body(response)
    assert "ne peut pas être dans le futur" in page and "Expliquez en quelques mots" in page
    response = anonymous.post(
        f"{BASE}/l/{token}/crise/", {"crisis_on": "2001-01-01", "respected": "fully"}
    )
    assert "avant la signature" in body(response)
    assert not CrisisRecord.objects.exists()
    today = timezone.localdate().isoformat()
    anonymous.post(
        f"{BASE}/l/{token}/crise/",
        {"crisis_on": today, "respected": "partly", "why": "Pas de place à la clinique"},
    )
    crisis = CrisisRecord.objects.get()
    assert crisis.respected == "partly" and crisis.why_text() == "Pas de place à la clinique"


def test_psychiatrist_comments_never_change_the_version(world):
    plan = make_plan(world)
    version = plan.in_force
    _r, token = share(plan)
    anonymous = world.client("anonymous")
    response = anonymous.post(f"{BASE}/l/{token}/avis/", {"stance": "disagree"})
    assert "Expliquez votre désaccord" in body(response)
    assert not PsychiatristComment.objects.exists()
    anonymous.post(
        f"{BASE}/l/{token}/avis/", {"stance": "disagree", "text": "Le lithium reste utile"}
    )
    assert PsychiatristComment.objects.get().text_plain() == "Le lithium reste utile"
    assert PlanVersion.objects.get().content == version.content
    _r, relative = share(plan, RecipientKind.RELATIVE, "Ma sœur")
    assert anonymous.get(f"{BASE}/l/{relative}/avis/").status_code == 404


def test_the_person_signs_a_draft_from_their_space(world):
    plan = make_plan(world, signed=False)
    token = space_token(plan.person)
    anonymous = world.client("anonymous")
    page = body(anonymous.get(f"{BASE}/espace/{token}/"))
    assert "Relire et signer mon plan" in page
    draft = plan.draft
    page = body(anonymous.post(f"{BASE}/espace/{token}/signer/", {"revision": draft.revision}))
    assert "Cochez la case pour signer" in page
    response = anonymous.post(
        f"{BASE}/espace/{token}/signer/", {"revision": draft.revision - 1, "confirm": "on"}
    )
    assert "Le brouillon a changé" in body(response)
    assert not PlanVersion.objects.signed().exists()
    anonymous.post(f"{BASE}/espace/{token}/signer/", {"revision": draft.revision, "confirm": "on"})
    version = PlanVersion.objects.get()
    assert version.signed_means == "person_space" and version.signature_recorded_by is None
    assert SECRET in body(anonymous.get(f"{BASE}/espace/{token}/"))


def test_the_person_sees_reads_crises_and_comments(world):
    plan = make_plan(world)
    recipient, link = share(plan)
    anonymous = world.client("anonymous")
    anonymous.get(f"{BASE}/l/{link}/")
    anonymous.post(
        f"{BASE}/l/{link}/crise/",
        {"crisis_on": timezone.localdate().isoformat(), "respected": "fully"},
    )
    anonymous.post(f"{BASE}/l/{link}/avis/", {"stance": "agree"})
    page = body(anonymous.get(f"{BASE}/espace/{space_token(plan.person)}/"))
    reads = page[page.index('id="reads"') :]
    assert "Dr Kerbrat, CMP (psychiatre)" in reads and "par son lien" in reads
    assert "oui, tout à fait" in page and "je suis d'accord avec ce plan" in page


def test_the_person_withdraws_one_recipient_after_confirming_their_link_dies_at_once(world):
    plan = make_plan(world)
    first, first_link = share(plan)
    _second, second_link = share(plan, RecipientKind.RELATIVE, "Ma sœur")
    token = space_token(plan.person)
    anonymous = world.client("anonymous")
    # The button asks first, in plain words; nothing changes until the person confirms.
    confirm = anonymous.get(f"{BASE}/espace/{token}/destinataires/{first.pk}/retirer/")
    assert "ne pourra plus lire votre plan" in body(confirm)
    assert anonymous.get(f"{BASE}/l/{first_link}/").status_code == 200
    anonymous.post(f"{BASE}/espace/{token}/destinataires/{first.pk}/retirer/")
    assert anonymous.get(f"{BASE}/l/{first_link}/").status_code == 410
    assert anonymous.get(f"{BASE}/l/{second_link}/").status_code == 200
    # Another person's recipient cannot be reached through my space.
    other = make_plan(world)
    theirs, their_link = share(other)
    response = anonymous.post(f"{BASE}/espace/{token}/destinataires/{theirs.pk}/retirer/")
    assert response.status_code == 404
    assert anonymous.get(f"{BASE}/l/{their_link}/").status_code == 200


def test_the_person_revokes_from_their_space(world):
    plan = make_plan(world)
    _r, link = share(plan)
    token = space_token(plan.person)
    anonymous = world.client("anonymous")
    anonymous.post(f"{BASE}/espace/{token}/retirer/", {})
    assert PlanVersion.objects.get().revoked_at is None
    anonymous.post(f"{BASE}/espace/{token}/retirer/", {"confirm": "on"})
    assert PlanVersion.objects.get().revoked_means == "person_space"
    assert "n'est pas en vigueur" in body(anonymous.get(f"{BASE}/l/{link}/"))
    assert "Vous avez retiré votre plan" in body(anonymous.get(f"{BASE}/espace/{token}/"))


def test_prepared_changes_are_stored_encrypted_and_shown_to_the_peer(world):
    plan = make_plan(world)
    token = space_token(plan.person)
    anonymous = world.client("anonymous")
    anonymous.post(f"{BASE}/espace/{token}/a-changer/", {"notes": "x" * 1001})
    assert PreventionPlan.objects.get().person_notes == ""
    anonymous.post(f"{BASE}/espace/{token}/a-changer/", {"notes": "Ajouter mon frère"})
    stored = PreventionPlan.objects.get()
    assert "frère" not in stored.person_notes and stored.notes_text() == "Ajouter mon frère"
    peer_page = body(world.client("peer_a").get(f"{BASE}/personnes/{plan.person_id}/"))
    assert "Ajouter mon frère" in peer_page
    coordinator_page = body(
        world.client("coordinator_a").get(f"{BASE}/personnes/{plan.person_id}/")
    )
    assert "Ajouter mon frère" not in coordinator_page


def test_a_revoked_space_link_opens_nothing(world):
    plan = make_plan(world)
    token = space_token(plan.person)
    PersonSpaceLink.issue(plan.person)  # a new link: the old one is revoked
    anonymous = world.client("anonymous")
    for path in ("", "signer/", "plan.pdf", "carte.pdf", "retirer/"):
        assert anonymous.get(f"{BASE}/espace/{token}/{path}").status_code == 404
    assert anonymous.post(f"{BASE}/espace/{token}/a-changer/", {"notes": "x"}).status_code == 404


def test_pdf_and_pocket_card(world):
    plan = make_plan(world, trusted=True)
    token = space_token(plan.person)
    anonymous = world.client("anonymous")
    pdf = anonymous.get(f"{BASE}/espace/{token}/plan.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    card = anonymous.get(f"{BASE}/espace/{token}/carte.pdf")
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", card.content)
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in box.groups())
    assert (round(width_mm, 1), round(height_mm, 1)) == CARD_SIZE_MM
    reading = reading_of(plan.in_force)
    text = " ".join(
        line for line, _s, _b in card_lines(plan.in_force, reading["card"], reading["trusted"])
    )
    assert (
        "Ma sœur Zéphyrine" in text and "06 12 34 56 78" in text and "Zéphyrine Quintalba" in text
    )
    for section in reading["sections"]:
        assert section["text"] not in text


def test_an_anonymised_persons_links_open_nothing(world):
    plan = make_plan(world)
    _r, link = share(plan)
    anonymise_person(plan.person)
    assert world.client("anonymous").get(f"{BASE}/l/{link}/").status_code == 404
