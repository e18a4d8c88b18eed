"""Issue 11, points 11-13: links shown again without being re-issued, withdrawn only on
purpose, and consents withdrawn or given back from the person space after a confirmation."""

import re

from django.test import Client
from django.urls import reverse

from entrepairs.accompaniment.models import Consent, ConsentPurpose
from entrepairs.core.models import AccessEvent
from entrepairs.evaluation.models import Campaign, Invitation, PersonSpaceLink, derive_token

from .factories import campaign, consenting_person

SPACE_URL = re.compile(r"/evaluation/mon-espace/([A-Za-z0-9_-]+)/")
ANSWER_URL = re.compile(r"/evaluation/r/([A-Za-z0-9_-]+)/")


def space_link_page(client, person):
    return client.get(reverse("evaluation:person_space_link", args=[person.pk])).content.decode()


def test_space_link_is_the_same_on_every_visit_and_each_display_is_logged(world):
    person = consenting_person(world)
    client = world.client("peer_a")
    url = reverse("evaluation:person_space_link", args=[person.pk])
    client.post(url)
    first = SPACE_URL.findall(space_link_page(client, person))
    again = SPACE_URL.findall(space_link_page(client, person))
    assert first and first == again  # a reload re-prints, it does not re-issue
    token = first[0]
    assert Client().get(reverse("evaluation:space", args=[token])).status_code == 200
    assert PersonSpaceLink.objects.filter(person=person).count() == 1
    views = AccessEvent.objects.about("accompaniment.person", person.pk).filter(action="view")
    assert views.count() >= 2
    # Another coordinator of the same organisation sees the same link (it is theirs to give).
    assert SPACE_URL.findall(space_link_page(world.client("coordinator_a"), person)) == first


def test_database_alone_gives_no_working_link(world, settings):
    """The insider with a copy of the database holds the nonce and the hash, not the key."""
    person = consenting_person(world)
    world.client("peer_a").post(reverse("evaluation:person_space_link", args=[person.pk]))
    link = PersonSpaceLink.objects.get(person=person)
    token = link.reprint_token()
    assert token and token not in str(PersonSpaceLink.objects.values().get(pk=link.pk))
    # The token cannot be computed from the row with any key but the server's.
    assert derive_token(link.nonce, "une-autre-clé") != token
    assert derive_token(link.nonce, "") != token
    # The key of a retired SECRET_KEY (kept as fallback) still re-prints; without it, no link.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "une nouvelle clé secrète suffisamment longue pour Django 5.2 !!"
    assert link.reprint_token() == token
    settings.SECRET_KEY_FALLBACKS = []
    assert link.reprint_token() is None


def test_revoking_a_space_link_is_a_deliberate_act_and_the_link_says_so(world):
    person = consenting_person(world)
    client = world.client("peer_a")
    client.post(reverse("evaluation:person_space_link", args=[person.pk]))
    token = SPACE_URL.findall(space_link_page(client, person))[0]
    revoke = reverse("evaluation:person_space_link_revoke", args=[person.pk])
    page = client.get(revoke).content.decode()
    assert "Retirer ce lien" in page
    assert Client().get(reverse("evaluation:space", args=[token])).status_code == 200
    client.post(revoke)
    dead = Client().get(reverse("evaluation:space", args=[token]))
    assert dead.status_code == 410
    text = dead.content.decode()
    assert "retiré" in text and "recopié en entier" not in text
    # A new link can then be created, different from the old one.
    client.post(reverse("evaluation:person_space_link", args=[person.pk]))
    assert SPACE_URL.findall(space_link_page(client, person))[0] != token


def test_other_organisation_and_other_roles_cannot_reprint(world):
    person = consenting_person(world)
    world.client("peer_a").post(reverse("evaluation:person_space_link", args=[person.pk]))
    url = reverse("evaluation:person_space_link", args=[person.pk])
    assert world.client("peer_b").get(url).status_code == 404
    assert world.client("professional_a").get(url).status_code == 403
    assert world.client("director_a").get(url).status_code == 403


def issue_anonymous(client, c, count=3):
    response = client.post(
        reverse("evaluation:campaign_invitations", args=[c.pk]), {"count": count}
    )
    assert response.status_code == 302
    return response["Location"]


def test_invitation_sheet_reprints_the_same_links(world):
    c = campaign(world)
    client = world.client("coordinator_a")
    sheet = issue_anonymous(client, c)
    first = ANSWER_URL.findall(client.get(sheet).content.decode())
    assert len(set(first)) == 3
    assert ANSWER_URL.findall(client.get(sheet).content.decode()) == first
    assert Invitation.objects.count() == 3
    for token in first:
        assert Client().get(reverse("evaluation:answer", args=[token])).status_code == 200
    # The campaign page offers the sheet again.
    detail = client.get(reverse("evaluation:campaign_detail", args=[c.pk])).content.decode()
    assert sheet in detail


def test_used_links_leave_the_sheet_and_a_peer_sees_only_their_own_anonymous_sheets(world):
    c = campaign(world)
    coordinator = world.client("coordinator_a")
    sheet = issue_anonymous(coordinator, c, 2)
    tokens = ANSWER_URL.findall(coordinator.get(sheet).content.decode())
    Invitation.objects.filter(pk=Invitation.objects.order_by("pk").first().pk).update(is_used=True)
    assert len(ANSWER_URL.findall(coordinator.get(sheet).content.decode())) == 1
    # A peer of the same organisation did not print this sheet: nothing to show them.
    assert ANSWER_URL.findall(world.client("peer_a").get(sheet).content.decode()) == []
    assert len(tokens) == 2


def test_revoking_a_sheet_asks_with_the_count_and_the_links_say_withdrawn(world):
    c = campaign(world)
    client = world.client("coordinator_a")
    sheet = issue_anonymous(client, c, 3)
    tokens = ANSWER_URL.findall(client.get(sheet).content.decode())
    revoke = sheet + "retirer/"
    page = client.get(revoke).content.decode()
    assert "3 liens de cette feuille" in page
    assert not Invitation.objects.filter(revoked_at__isnull=False).exists()
    client.post(revoke)
    assert Invitation.objects.filter(revoked_at__isnull=False).count() == 3
    for token in tokens:
        response = Client().get(reverse("evaluation:answer", args=[token]))
        assert response.status_code == 410
        assert "retiré" in response.content.decode()
    assert ANSWER_URL.findall(client.get(sheet).content.decode()) == []


def test_linked_invitations_start_unticked_and_are_confirmed_with_their_count(world):
    persons = [consenting_person(world, alias=f"Personne due {i}") for i in range(3)]
    c = campaign(world, mode=Campaign.Mode.LINKED, code="who-5")
    client = world.client("peer_a")
    page = client.get(reverse("evaluation:campaign_detail", args=[c.pk])).content.decode()
    boxes = re.findall(r'<input[^>]*name="due"[^>]*>', page)
    assert len(boxes) == 3 and not any("checked" in b for b in boxes)
    assert 'data-select="all"' in page and 'data-select="none"' in page
    keys = [f"{p.accompaniments.get().pk}:start" for p in persons[:2]]
    url = reverse("evaluation:campaign_invitations", args=[c.pk])
    confirm = client.post(url, {"due": keys})
    assert confirm.status_code == 200
    assert "Vous allez créer 2 invitations" in confirm.content.decode()
    assert not Invitation.objects.exists()  # nothing before the confirmation
    done = client.post(url, {"due": keys, "confirm": "1"})
    assert done.status_code == 302
    assert Invitation.objects.count() == 2
    # Reloading the sheet does not issue more.
    client.get(done["Location"])
    client.get(done["Location"])
    assert Invitation.objects.count() == 2


def test_a_withdrawn_linked_invitation_lets_the_person_be_invited_again(world):
    person = consenting_person(world, alias="Réinvitée")
    c = campaign(world, mode=Campaign.Mode.LINKED, code="who-5")
    client = world.client("peer_a")
    key = f"{person.accompaniments.get().pk}:start"
    url = reverse("evaluation:campaign_invitations", args=[c.pk])
    sheet = client.post(url, {"due": [key], "confirm": "1"})["Location"]
    detail = reverse("evaluation:campaign_detail", args=[c.pk])
    assert 'value="' + key not in client.get(detail).content.decode()
    client.post(sheet + "retirer/")
    assert 'value="' + key in client.get(detail).content.decode()


def test_person_gives_back_a_consent_from_the_space(world, client):
    person = consenting_person(world)
    world.client("peer_a").post(reverse("evaluation:person_space_link", args=[person.pk]))
    token = PersonSpaceLink.objects.get(person=person).reprint_token()
    withdraw = reverse("evaluation:space_withdraw", args=[token, ConsentPurpose.EVALUATION])
    client.post(withdraw)
    assert not Consent.current_given(ConsentPurpose.EVALUATION).filter(person=person).exists()
    space = client.get(reverse("evaluation:space", args=[token])).content.decode()
    give = reverse("evaluation:space_give", args=[token, ConsentPurpose.EVALUATION])
    assert give in space
    page = client.get(give).content.decode()
    assert "Oui, je donne mon accord" in page
    assert not Consent.current_given(ConsentPurpose.EVALUATION).filter(person=person).exists()
    client.post(give)
    latest = person.consents.filter(purpose=ConsentPurpose.EVALUATION).latest("recorded_at", "pk")
    assert latest.given and latest.means == Consent.Means.PERSON_SPACE
    # A second tap changes nothing more.
    count = Consent.objects.count()
    client.post(give)
    assert Consent.objects.count() == count
