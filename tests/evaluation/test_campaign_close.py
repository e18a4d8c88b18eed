"""Closing a campaign: confirmation, who may, and what its links do afterwards."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from entrepairs.evaluation.models import (
    AnonymousResponse,
    Campaign,
    Invitation,
    LinkedResponse,
    PendingAnswer,
)
from tests.utils import last_access

from .factories import campaign, consenting_person, invitation, space_token
from .test_answering import answer_all

CLOSED_TEXT = "Ce questionnaire est terminé. Merci."


def close_url(c):
    return reverse("evaluation:campaign_close", args=[c.pk])


def test_get_asks_for_confirmation_and_changes_nothing(world):
    c = campaign(world)
    Invitation.issue(c, facility=world.facility_a, timepoint="once")
    response = world.client("coordinator_a").get(close_url(c))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Clore la campagne" in page and "1 invitation en attente" in page
    c.refresh_from_db()
    assert c.closed_at is None and not c.is_closed


def test_coordinator_closes_a_campaign(world):
    c = campaign(world)
    response = world.client("coordinator_a").post(close_url(c))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:campaign_detail", args=[c.pk])
    c.refresh_from_db()
    assert c.closed_at is not None and c.is_closed
    event = last_access("evaluation.campaign")
    assert event.action == "update" and event.object_ids == [c.pk]
    detail = world.client("coordinator_a").get(response["Location"]).content.decode()
    assert "Campagne close le" in detail and close_url(c) not in detail
    listing = world.client("coordinator_a").get(reverse("evaluation:campaign_list"))
    assert re.search(r"<td>\s*close\s*</td>", listing.content.decode())


def test_peer_cannot_close(world):
    c = campaign(world)
    client = world.client("peer_a")
    assert client.get(close_url(c)).status_code == 403
    assert client.post(close_url(c)).status_code == 403
    c.refresh_from_db()
    assert c.closed_at is None
    assert last_access("evaluation.campaign") is None


def test_other_organisation_gets_404(world):
    c = campaign(world, "a")
    client = world.client("coordinator_b")
    assert client.get(close_url(c)).status_code == 404
    assert client.post(close_url(c)).status_code == 404
    c.refresh_from_db()
    assert c.closed_at is None


def test_closing_twice_keeps_the_first_date(world):
    first = timezone.now() - datetime.timedelta(days=3)
    c = campaign(world, closed_at=first)
    client = world.client("coordinator_a")
    response = client.post(close_url(c), follow=True)
    assert "déjà close" in response.content.decode()
    c.refresh_from_db()
    assert c.closed_at == first
    assert last_access("evaluation.campaign") is None
    assert client.get(close_url(c)).status_code == 302


def test_campaign_past_its_closing_date_is_closed(world):
    c = campaign(world, closes_on=timezone.localdate() - datetime.timedelta(days=1))
    assert c.is_closed and Campaign.objects.closed().get() == c
    assert world.client("coordinator_a").get(close_url(c)).status_code == 302


def test_other_methods_are_refused(world):
    c = campaign(world)
    assert world.client("coordinator_a").put(close_url(c)).status_code == 405


def test_closed_anonymous_link_says_finished_and_saves_nothing(world, client):
    inv, token = invitation(world)
    url = reverse("evaluation:answer", args=[token])
    client.post(url, {"q": 1, "understood": "yes"})  # started before the closing
    world.client("coordinator_a").post(close_url(inv.campaign))
    page = client.get(url)
    assert page.status_code == 410
    assert CLOSED_TEXT in page.content.decode()
    response = client.post(url, {"q": 6, "comment": "", "action": "next"})
    assert response.status_code == 410 and CLOSED_TEXT in response.content.decode()
    assert not AnonymousResponse.objects.exists() and not PendingAnswer.objects.exists()
    inv.refresh_from_db()
    assert not inv.is_used
    qr = client.get(reverse("evaluation:invitation_qr", args=[token]))
    assert qr.status_code == 404


def test_closed_linked_link_keeps_draft_unfinished(world, client):
    inv, token = invitation(world, linked=True)
    url = reverse("evaluation:answer", args=[token])
    client.post(url, {"q": 1, "understood": "yes", "action": "next"})
    Campaign.objects.filter(pk=inv.campaign_id).update(closed_at=timezone.now())
    response = client.post(url, {"q": 2, "confidence": "yes", "action": "next"})
    assert response.status_code == 410 and CLOSED_TEXT in response.content.decode()
    draft = LinkedResponse.objects.get()
    assert draft.answers == {"understood": "yes"} and draft.completed_at is None


def test_answers_given_before_closing_are_kept(world, client, django_capture_on_commit_callbacks):
    inv, token = invitation(world)
    answer_all(client, reverse("evaluation:answer", args=[token]))
    assert not AnonymousResponse.objects.exists()  # waiting for its batch
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        world.client("coordinator_a").post(close_url(inv.campaign))
    assert len(callbacks) == 1  # the task that writes the last batch, after the commit
    assert AnonymousResponse.objects.count() == 1
    assert not PendingAnswer.objects.exists()
    used = reverse("evaluation:answer", args=[token])
    assert "déjà été rempli" in client.get(used).content.decode()


def test_closed_campaign_leaves_the_person_space(world, client):
    person = consenting_person(world)
    inv, _token = invitation(world, linked=True, person=person)
    space = space_token(world, person=person)
    space_url = reverse("evaluation:space", args=[space])
    answer_url = reverse("evaluation:space_answer", args=[space, inv.pk])
    assert answer_url in client.get(space_url).content.decode()
    Campaign.objects.filter(pk=inv.campaign_id).update(closed_at=timezone.now())
    assert answer_url not in client.get(space_url).content.decode()
    response = client.get(answer_url)
    assert response.status_code == 410 and CLOSED_TEXT in response.content.decode()


def test_closed_campaign_issues_no_invitation(world):
    c = campaign(world, closed_at=timezone.now())
    client = world.client("coordinator_a")
    detail = client.get(reverse("evaluation:campaign_detail", args=[c.pk])).content.decode()
    assert reverse("evaluation:campaign_invitations", args=[c.pk]) not in detail
    response = client.post(
        reverse("evaluation:campaign_invitations", args=[c.pk]), {"count": "3"}, follow=True
    )
    assert "Cette campagne est close : aucune invitation" in response.content.decode()
    assert not Invitation.objects.exists()
