"""Team invitations: nobody joins an organisation without accepting, and the inviter learns
nothing about an account that already existed (issue 9, point 4).

Before the fix, inviting the address of an account of another organisation silently added an
active membership, and the team list showed that account's real name and its second factor.
"""

import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from entrepairs.accounts.models import Membership, User
from entrepairs.core.roles import Role
from tests.factories import TOTPDeviceFactory
from tests.personas import login
from tests.utils import last_access

pytestmark = pytest.mark.django_db

INVITE = reverse("accounts:team_invite")
TEAM = reverse("accounts:team_list")


def invitations_url():
    return reverse("accounts:invitations")


def invite(world, email, first_name="Camille", last_name="Martin", role=Role.PROFESSIONAL):
    data = {
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "role": role,
        "facilities": [world.facility_a.pk],
    }
    return world.client("coordinator_a").post(INVITE, data, follow=True)


def invited(world, email) -> Membership:
    return Membership.objects.get(user__email__iexact=email, organisation=world.org_a)


def existing_account(world):
    """coordinator_b: an account of org B with a real name and a confirmed second factor."""
    user = world.user("coordinator_b")
    user.first_name, user.last_name = "Hortense", "Vasseur-Delmas"
    user.save()
    TOTPDeviceFactory(user=user)
    return user


def answer(world, membership, action, persona="coordinator_b"):
    url = reverse(f"accounts:invitation_{action}", args=[membership.pk])
    return world.client(persona).post(url, follow=True)


def row_of(page, email):
    """The team-list row of ``email``, with the address and ids blanked out."""
    rows = [r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if email in r]
    assert len(rows) == 1, rows
    row = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", rows[0])
    return re.sub(r"/equipe/\d+/", "/equipe/N/", row.replace(email, "ADRESSE"))


# No access before accepting ---------------------------------------------------------------------
def test_an_invitation_gives_no_access_before_it_is_accepted(world):
    user = existing_account(world)
    invite(world, user.email)
    membership = invited(world, user.email)
    assert not membership.is_active and membership.invitation == "pending"
    client = world.client("coordinator_b")
    response = client.post(
        reverse("accounts:switch_organisation"), {"membership": membership.pk}, follow=True
    )
    assert "ne fait pas partie de vos rattachements" in response.content.decode()
    assert [m.organisation for m in response.wsgi_request.memberships] == [world.org_b]


def test_only_the_invited_person_turns_it_into_an_access(world):
    user = existing_account(world)
    invite(world, user.email)
    membership = invited(world, user.email)
    # Not the inviter (reactivating), not another account (404), not the database.
    url = reverse("accounts:membership_reactivate", args=[membership.pk])
    response = world.client("coordinator_a").post(url, follow=True)
    assert "seule la personne invitée peut activer" in response.content.decode()
    assert answer(world, membership, "accept", persona="peer_a").status_code == 404
    membership.refresh_from_db()
    assert not membership.is_active
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(is_active=True)


# The inviter sees only what they typed ----------------------------------------------------------
def test_the_inviter_sees_only_what_they_typed(world):
    user = existing_account(world)
    response = invite(world, user.email.upper(), first_name="Autre", last_name="Nom")
    pages = [response.content.decode(), world.client("coordinator_a").get(TEAM).content.decode()]
    edit = reverse("accounts:membership_update", args=[invited(world, user.email).pk])
    pages.append(world.client("coordinator_a").get(edit).content.decode())
    for page in pages:
        assert "Hortense" not in page and "Vasseur-Delmas" not in page
        assert world.org_b.name not in page
    assert "Autre Nom" in pages[1] and "Autre Nom" in pages[2]
    user.refresh_from_db()
    assert user.get_full_name() == "Hortense Vasseur-Delmas"  # the account keeps its name


def test_an_existing_and_a_new_address_get_identical_screens(world):
    """The same typed names, role and facilities: the pages differ by the address only."""
    user = existing_account(world)
    new = "nouvelle.personne@example.org"
    shown = {}
    for email in (user.email, new):
        response = invite(world, email)
        message = response.content.decode().split('class="alert alert-success">')[1]
        shown[email] = {"message": message.split("</div>")[0].replace(email, "ADRESSE")}
    team = world.client("coordinator_a").get(TEAM).content.decode()
    for email in (user.email, new):
        shown[email]["row"] = row_of(team, email)
        edit = reverse("accounts:membership_update", args=[invited(world, email).pk])
        page = world.client("coordinator_a").get(edit).content.decode()
        main = page.split('<main id="contenu"')[1].split("</main>")[0]
        main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", main)
        shown[email]["edit"] = re.sub(r"/equipe/\d+/", "/equipe/N/", main.replace(email, "ADRESSE"))
    assert shown[user.email] == shown[new]
    assert "invitation en attente" in shown[new]["row"]
    # Nothing else to tell them apart in the list: no second factor, no account name.
    assert "activée" not in shown[user.email]["row"]


# The invited person answers ---------------------------------------------------------------------
def test_the_invited_person_accepts_and_the_access_starts(world):
    user = existing_account(world)
    invite(world, user.email)
    membership = invited(world, user.email)
    (message,) = mail.outbox
    assert invitations_url() in message.body and "mot-de-passe" not in message.body
    # At the next login the invitation is shown first.
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": "motdepasse-solide-42"}
    )
    assert response["Location"].startswith(f"{invitations_url()}?next=")
    client = world.client("coordinator_b")
    page = client.get(invitations_url()).content.decode()
    assert world.org_a.name in page and "professionnel·le" in page
    assert "attend votre réponse" in client.get(reverse("home:home"), follow=True).content.decode()
    response = answer(world, membership, "accept")
    assert f"Vous avez rejoint {world.org_a.name}" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active and membership.invitation == "accepted"
    assert response.wsgi_request.membership == membership  # acting for org A now
    event = last_access("accounts.membership")
    assert event.action == "update" and event.object_ids == [membership.pk]
    assert event.user == user
    # Once a member, the team sees the account's own name.
    assert "Hortense Vasseur-Delmas" in world.client("coordinator_a").get(TEAM).content.decode()


def test_the_invited_person_declines_and_may_be_invited_again(world):
    user = existing_account(world)
    invite(world, user.email)
    membership = invited(world, user.email)
    response = answer(world, membership, "decline")
    assert "refusée" in response.content.decode()
    membership.refresh_from_db()
    assert (membership.is_active, membership.invitation) == (False, "declined")
    assert "invitation refusée" in world.client("coordinator_a").get(TEAM).content.decode()
    assert answer(world, membership, "accept").status_code == 404
    invite(world, user.email, first_name="Camille", last_name="Encore")
    membership.refresh_from_db()
    assert membership.invitation == "pending" and membership.invited_last_name == "Encore"
    assert Membership.objects.filter(user=user, organisation=world.org_a).count() == 1


def test_a_cancelled_invitation_cannot_be_accepted(world):
    user = existing_account(world)
    invite(world, user.email)
    membership = invited(world, user.email)
    url = reverse("accounts:membership_deactivate", args=[membership.pk])
    response = world.client("coordinator_a").post(url, follow=True)
    assert "Invitation de Camille Martin annulée." in response.content.decode()
    assert answer(world, membership, "accept").status_code == 404
    membership.refresh_from_db()
    assert (membership.is_active, membership.invitation) == (False, "cancelled")
    assert (
        world.org_a.name
        not in world.client("coordinator_b").get(invitations_url()).content.decode()
    )


def test_a_second_invitation_while_one_is_pending_is_refused(world):
    invite(world, "camille.martin@example.org")
    response = invite(world, "camille.martin@example.org")
    assert "Une invitation à ce rôle attend déjà" in response.content.decode()
    assert Membership.objects.filter(user__email="camille.martin@example.org").count() == 1
    assert len(mail.outbox) == 1


def test_a_new_account_accepts_after_choosing_its_password(world):
    invite(world, "lea.dupont@example.org", first_name="Léa", last_name="Dupont")
    user = User.objects.get(email="lea.dupont@example.org")
    assert not user.has_usable_password()
    membership = user.memberships.get()
    assert not membership.is_active
    user.set_password("un-mot-de-passe-solide-2025")
    user.save()
    client = login(Client(), user)
    response = client.post(reverse("accounts:invitation_accept", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active


def test_someone_elses_invitations_are_not_listed(world):
    invite(world, existing_account(world).email)
    page = world.client("peer_b").get(invitations_url()).content.decode()
    assert world.org_a.name not in page.split('<main id="contenu"')[1]
    assert "Aucune invitation en attente." in page
