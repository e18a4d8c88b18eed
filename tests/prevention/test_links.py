"""A recipient's link can be shown and printed again without being replaced; replacing it or
withdrawing the sharing is a deliberate act (a confirmation page), audited in its
transaction, and the old link then says why it opens nothing."""

import pytest
from django.test import override_settings

from entrepairs.core.models import AccessEvent
from entrepairs.prevention.models import Recipient, RetiredLink, token_hash
from entrepairs.prevention.rights import anonymise_plan
from tests.accompaniment.factories import body

from .factories import SECRET, make_plan, share

pytestmark = pytest.mark.django_db

BASE = "/plan-prevention"


def link_page(client, recipient):
    return client.get(f"{BASE}/destinataires/{recipient.pk}/lien/")


def test_reloading_and_printing_twice_show_the_same_working_link(world):
    plan = make_plan(world)
    recipient, token = share(plan)
    peer = world.client("peer_a")
    first, second = link_page(peer, recipient), link_page(peer, recipient)
    assert first.status_code == second.status_code == 200
    assert first.context["url"] == second.context["url"]
    assert first.context["url"].endswith(f"/l/{token}/")
    assert first.context["qr"] == second.context["qr"]
    anonymous = world.client("anonymous")
    assert SECRET in body(anonymous.get(first.context["url"]))
    # Each display is logged as a read of the recipient, never as a change.
    events = AccessEvent.objects.about("prevention.recipient", recipient.pk)
    assert events.filter(action="view").count() == 2
    assert not events.filter(action="update").exists()
    # The stored hash did not move: nothing was re-issued.
    assert Recipient.objects.get().token_hash == token_hash(token)


def test_the_database_alone_gives_no_link(world):
    plan = make_plan(world)
    recipient, token = share(plan)
    stored = Recipient.objects.filter(pk=recipient.pk).values()[0]
    assert token not in str(stored)
    # The nonce is not the token: the server key is needed to compute it.
    response = world.client("anonymous").get(f"{BASE}/l/{stored['link_nonce']}/")
    assert response.status_code == 404 and SECRET not in body(response)


def test_reissue_asks_first_then_kills_the_old_link_with_a_clear_message(world):
    plan = make_plan(world)
    recipient, old = share(plan)
    peer = world.client("peer_a")
    anonymous = world.client("anonymous")
    confirm = peer.get(f"{BASE}/destinataires/{recipient.pk}/nouveau-lien/")
    assert confirm.status_code == 200
    assert "cessera de marcher tout de suite" in body(confirm)
    assert anonymous.get(f"{BASE}/l/{old}/").status_code == 200  # GET changed nothing
    response = peer.post(f"{BASE}/destinataires/{recipient.pk}/nouveau-lien/", follow=True)
    new = response.context["url"]
    assert not new.endswith(f"/l/{old}/")
    dead = anonymous.get(f"{BASE}/l/{old}/")
    assert dead.status_code == 410
    assert "Ce lien a été remplacé" in body(dead) and SECRET not in body(dead)
    assert SECRET in body(anonymous.get(new))
    # The new link is the one shown again, the same, afterwards.
    assert link_page(peer, recipient).context["url"] == new
    # Replayed later, even on the other pages of the link, the old one stays refused.
    for path in ("", "crise/", "avis/"):
        assert anonymous.get(f"{BASE}/l/{old}/{path}").status_code == 410
    crisis = {"crisis_on": "2026-01-05", "respected": "fully", "why": ""}
    assert anonymous.post(f"{BASE}/l/{old}/crise/", crisis).status_code == 410
    assert not plan.crises.exists()
    event = AccessEvent.objects.about("prevention.recipient", recipient.pk).get(action="update")
    assert event is not None


def test_reissuing_twice_kills_both_older_links(world):
    plan = make_plan(world)
    recipient, first = share(plan)
    second = Recipient.objects.get().issue_link()
    Recipient.objects.get().issue_link()
    anonymous = world.client("anonymous")
    assert anonymous.get(f"{BASE}/l/{first}/").status_code == 410
    assert anonymous.get(f"{BASE}/l/{second}/").status_code == 410
    assert RetiredLink.objects.filter(recipient=recipient).count() == 2


def test_withdrawal_asks_first_then_the_link_says_the_sharing_was_withdrawn(world):
    plan = make_plan(world)
    recipient, token = share(plan)
    peer = world.client("peer_a")
    confirm = peer.get(f"{BASE}/destinataires/{recipient.pk}/retirer/")
    assert "ne pourra plus lire le plan" in body(confirm)
    assert Recipient.objects.get().is_active
    peer.post(f"{BASE}/destinataires/{recipient.pk}/retirer/")
    dead = world.client("anonymous").get(f"{BASE}/l/{token}/")
    assert dead.status_code == 410 and "Ce partage a été retiré" in body(dead)
    gone = Recipient.objects.get()
    assert (gone.token_hash, gone.link_nonce) == ("", "")
    # No link page for a withdrawn sharing, and no way to re-issue one.
    assert link_page(peer, recipient).status_code == 302
    peer.post(f"{BASE}/destinataires/{recipient.pk}/nouveau-lien/")
    assert Recipient.objects.get().token_hash == ""


def test_one_tap_cannot_act_a_get_never_changes_anything(world):
    plan = make_plan(world)
    recipient, token = share(plan)
    peer = world.client("peer_a")
    for path in ("retirer/", "nouveau-lien/", "lien/"):
        peer.get(f"{BASE}/destinataires/{recipient.pk}/{path}")
    assert Recipient.objects.get().token_hash == token_hash(token)
    assert not AccessEvent.objects.about("prevention.recipient", recipient.pk).filter(
        action="update"
    )


def test_a_link_from_before_reprinting_still_works_but_cannot_be_shown(world):
    plan = make_plan(world)
    recipient, token = share(plan)
    Recipient.objects.filter(pk=recipient.pk).update(link_nonce="")
    page = link_page(world.client("peer_a"), recipient)
    assert page.context["unprintable"] and "url" not in page.context
    assert "faites-lui un nouveau lien" in body(page)
    assert world.client("anonymous").get(f"{BASE}/l/{token}/").status_code == 200


def test_a_retired_secret_key_stops_reprinting_until_a_new_link(world, settings):
    plan = make_plan(world)
    recipient, token = share(plan)
    with override_settings(SECRET_KEY="another-key", SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert Recipient.objects.get().link_token() == token
    with override_settings(SECRET_KEY="another-key", SECRET_KEY_FALLBACKS=[]):
        assert Recipient.objects.get().link_token() is None


def test_anonymisation_makes_retired_links_unknown(world):
    plan = make_plan(world)
    recipient, old = share(plan)
    Recipient.objects.get().issue_link()
    anonymise_plan(plan.person)
    assert not RetiredLink.objects.exists()
    assert world.client("anonymous").get(f"{BASE}/l/{old}/").status_code == 404


def test_other_peers_and_organisations_cannot_see_a_link(world):
    plan = make_plan(world)
    recipient, _token = share(plan)
    for persona in ("peer_b", "coordinator_b"):
        assert link_page(world.client(persona), recipient).status_code in (403, 404)
    assert link_page(world.client("coordinator_a"), recipient).status_code == 403
