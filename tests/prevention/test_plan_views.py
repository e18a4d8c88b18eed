"""The peer writes the plan with the person, records the signature, the sharing and a
revocation; coordinators and professionals see dates, never content."""

import pytest

from entrepairs.core.models import AccessEvent
from entrepairs.prevention.models import PlanVersion, PreventionPlan, ReadRecord, Recipient
from tests.accompaniment.factories import body, make_person

from .factories import SECRET, make_plan, share

pytestmark = pytest.mark.django_db

BASE = "/plan-prevention"


def draft_post(plan, **fields):
    draft = plan.draft
    data = {"version_id": draft.pk, "revision": draft.revision}
    data.update(fields)
    return data


def test_a_draft_over_two_encounters_then_signed_then_replaced(world):
    person = make_person(world)
    peer = world.client("peer_a")
    assert peer.post(f"{BASE}/personnes/{person.pk}/brouillon/nouveau/").status_code == 302
    plan = PreventionPlan.objects.get(person=person)
    response = peer.post(
        f"{BASE}/personnes/{person.pk}/brouillon/",
        draft_post(plan, keeps_well="Marcher le matin"),
    )
    assert response.status_code == 302
    plan = PreventionPlan.objects.get(person=person)
    response = peer.post(
        f"{BASE}/personnes/{person.pk}/brouillon/",
        draft_post(plan, keeps_well="Marcher le matin", treatments_refused=SECRET),
    )
    assert response.status_code == 302
    plan = PreventionPlan.objects.get(person=person)
    draft = plan.draft
    assert draft.sections()["treatments_refused"] == SECRET
    # The signature is recorded with a confirmation.
    response = peer.post(f"{BASE}/personnes/{person.pk}/signer/", {"revision": draft.revision})
    assert "Cochez la case" in body(response)
    assert not PlanVersion.objects.signed().exists()
    response = peer.post(
        f"{BASE}/personnes/{person.pk}/signer/", {"revision": draft.revision, "confirm": "on"}
    )
    assert response.status_code == 302
    v1 = PlanVersion.objects.get()
    assert v1.signed_means == "in_person" and v1.signature_recorded_by == world.user("peer_a")
    # A new version starts from the signed one and replaces it once signed.
    peer.post(f"{BASE}/personnes/{person.pk}/brouillon/nouveau/")
    plan = PreventionPlan.objects.get(person=person)
    assert plan.draft.number == 2
    assert plan.draft.sections()["treatments_refused"] == SECRET
    peer.post(
        f"{BASE}/personnes/{person.pk}/brouillon/",
        draft_post(plan, keeps_well="Voir ma sœur", treatments_refused=SECRET),
    )
    plan = PreventionPlan.objects.get(person=person)
    peer.post(
        f"{BASE}/personnes/{person.pk}/signer/",
        {"revision": plan.draft.revision, "confirm": "on"},
    )
    plan = PreventionPlan.objects.get(person=person)
    assert plan.in_force.number == 2
    assert plan.in_force.sections()["keeps_well"] == "Voir ma sœur"
    assert PlanVersion.objects.get(number=1).sections()["keeps_well"] == "Marcher le matin"
    page = body(peer.get(f"{BASE}/personnes/{person.pk}/"))
    assert "remplacée" in page and "en vigueur" in page


def test_bad_input_gives_a_french_message_and_saves_nothing(world):
    plan = make_plan(world, signed=False)
    before = PlanVersion.objects.get(pk=plan.draft.pk)
    response = world.client("peer_a").post(
        f"{BASE}/personnes/{plan.person_id}/brouillon/",
        draft_post(
            plan,
            keeps_well="x" * 601,
            trusted_relationship="ma sœur",
            card_contact_phone="appelle-moi",
        ),
    )
    page = body(response)
    assert response.status_code == 200
    assert "rien n'a été enregistré" in page
    assert "Écrivez au plus 600 caractères" in page
    assert "Écrivez le nom de la personne de confiance" in page
    assert "Écrivez un numéro de téléphone" in page
    after = PlanVersion.objects.get(pk=before.pk)
    assert (after.content, after.revision) == (before.content, before.revision)


def test_a_stale_draft_is_refused(world):
    plan = make_plan(world, signed=False)
    data = draft_post(plan, keeps_well="Première version")
    peer = world.client("peer_a")
    assert peer.post(f"{BASE}/personnes/{plan.person_id}/brouillon/", data).status_code == 302
    data["keeps_well"] = "Écrite sur une page ouverte avant"
    response = peer.post(f"{BASE}/personnes/{plan.person_id}/brouillon/", data)
    assert "modifié par quelqu'un d'autre" in body(response)
    assert PlanVersion.objects.get().sections()["keeps_well"] == "Première version"


def test_a_tampered_post_on_a_signed_version_is_refused(world):
    plan = make_plan(world)
    signed = plan.in_force
    world.client("peer_a").post(f"{BASE}/personnes/{plan.person_id}/brouillon/nouveau/")
    plan = PreventionPlan.objects.get(pk=plan.pk)
    draft = plan.draft
    response = world.client("peer_a").post(
        f"{BASE}/personnes/{plan.person_id}/brouillon/",
        {"version_id": signed.pk, "revision": signed.revision, "keeps_well": "Changé !"},
    )
    assert "Cette version est signée" in body(response)
    assert PlanVersion.objects.get(pk=signed.pk).content == signed.content
    assert PlanVersion.objects.get(pk=draft.pk).content == draft.content


def test_an_empty_draft_cannot_be_signed(world):
    person = make_person(world)
    peer = world.client("peer_a")
    peer.post(f"{BASE}/personnes/{person.pk}/brouillon/nouveau/")
    draft = PlanVersion.objects.get()
    response = peer.post(
        f"{BASE}/personnes/{person.pk}/signer/", {"revision": draft.revision, "confirm": "on"}
    )
    assert "Le plan est vide" in body(response)
    assert not PlanVersion.objects.signed().exists()


@pytest.mark.parametrize("persona", ["coordinator_a", "professional_a"])
def test_coordinators_and_professionals_see_dates_never_content(world, persona):
    plan = make_plan(world, trusted=True)
    share(plan)
    client = world.client(persona)
    page = body(client.get(f"{BASE}/personnes/{plan.person_id}/"))
    assert "Version 1" in page and "signée le" in page
    for word in (SECRET, "Marcher", "Zéphyrine", "Kerbrat"):
        assert word not in page
    recipient = Recipient.objects.get()
    for url in (
        f"{BASE}/personnes/{plan.person_id}/brouillon/",
        f"{BASE}/personnes/{plan.person_id}/plan.pdf",
        f"{BASE}/personnes/{plan.person_id}/carte.pdf",
        f"{BASE}/destinataires/{recipient.pk}/copie.pdf",
    ):
        assert client.get(url).status_code == 403
    assert not ReadRecord.objects.exists()


def test_a_peer_of_another_organisation_gets_404(world):
    plan = make_plan(world)
    recipient, _token = share(plan)
    client = world.client("peer_b")
    assert client.get(f"{BASE}/personnes/{plan.person_id}/").status_code == 404
    assert client.post(f"{BASE}/destinataires/{recipient.pk}/retirer/").status_code == 404
    assert Recipient.objects.get().is_active


def test_sharing_gives_a_link_withdrawal_kills_it_at_once(world):
    plan = make_plan(world)
    peer = world.client("peer_a")
    response = peer.post(
        f"{BASE}/personnes/{plan.person_id}/destinataires/nouveau/",
        {"kind": "crisis_service", "name": "Équipe mobile de crise", "means": "oral"},
    )
    assert "c'est la personne qui choisit" in body(response)
    assert not Recipient.objects.exists()
    response = peer.post(
        f"{BASE}/personnes/{plan.person_id}/destinataires/nouveau/",
        {"kind": "crisis_service", "name": "Équipe mobile", "means": "oral", "confirm": "on"},
        follow=True,
    )
    url = response.context["url"]
    anonymous = world.client("anonymous")
    assert SECRET in body(anonymous.get(url))
    recipient = Recipient.objects.get()
    peer.post(f"{BASE}/destinataires/{recipient.pk}/retirer/")
    gone = anonymous.get(url)
    assert gone.status_code == 410 and "Ce partage a été retiré" in body(gone)
    assert SECRET not in body(gone)
    assert Recipient.objects.get().token_hash == ""


def test_a_new_link_replaces_the_old_one(world):
    plan = make_plan(world)
    recipient, old = share(plan)
    response = world.client("peer_a").post(
        f"{BASE}/destinataires/{recipient.pk}/nouveau-lien/", follow=True
    )
    new = response.context["url"]
    anonymous = world.client("anonymous")
    assert anonymous.get(f"{BASE}/l/{old}/").status_code == 410
    assert anonymous.get(new).status_code == 200


def test_a_printed_copy_counts_as_a_read_of_that_recipient(world):
    plan = make_plan(world)
    recipient, _token = share(plan)
    response = world.client("peer_a").get(f"{BASE}/destinataires/{recipient.pk}/copie.pdf")
    assert response["Content-Type"] == "application/pdf"
    read = ReadRecord.objects.get()
    assert (read.recipient, read.channel) == (recipient, "printed")
    assert (
        AccessEvent.objects.about("prevention.preventionplan", plan.pk)
        .filter(action="export")
        .exists()
    )


def test_revocation_in_person(world):
    plan = make_plan(world)
    _recipient, token = share(plan)
    peer = world.client("peer_a")
    peer.post(f"{BASE}/personnes/{plan.person_id}/retirer/", {})
    assert PlanVersion.objects.get().revoked_at is None
    peer.post(f"{BASE}/personnes/{plan.person_id}/retirer/", {"confirm": "on"})
    assert PlanVersion.objects.get().revoked_means == "in_person"
    response = world.client("anonymous").get(f"{BASE}/l/{token}/")
    assert "n'est pas en vigueur" in body(response) and SECRET not in body(response)
