"""Équipe et accès: a coordinator or a director invites people and manages their access."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from entrepairs.accounts.models import Membership, User
from entrepairs.core.roles import Role
from tests.factories import FacilityFactory, MembershipFactory, TOTPDeviceFactory, UserFactory
from tests.utils import assert_constant_queries, last_access

LIST = reverse("accounts:team_list")
INVITE = reverse("accounts:team_invite")


def update_url(membership):
    return reverse("accounts:membership_update", args=[membership.pk])


def invite_data(world, **extra):
    data = {
        "email": "Camille.Martin@Example.org",
        "first_name": "Camille",
        "last_name": "Martin",
        "role": Role.PROFESSIONAL,
        "facilities": [world.facility_a.pk],
    }
    return data | extra


def errors_of(response):
    return response.content.decode()


# List -----------------------------------------------------------------------------------------


def test_list_shows_the_organisation_only_and_logs_ids(world):
    other = MembershipFactory(organisation=world.org_b, role=Role.PROFESSIONAL)
    TOTPDeviceFactory(user=world.user("peer_a"))
    response = world.client("coordinator_a").get(LIST)
    assert response.status_code == 200
    shown = {m.pk for m in response.context["page"]}
    ids_a = set(Membership.objects.filter(organisation=world.org_a).values_list("pk", flat=True))
    assert shown == ids_a and other.pk not in shown
    html = response.content.decode()
    assert "peer_a@example.org" in html and other.user.email not in html
    assert world.facility_a.name in html
    rows = {m.pk: m for m in response.context["page"]}
    assert rows[world.membership("peer_a").pk].has_second_factor
    event = last_access("accounts.membership")
    assert event.action == "list" and set(event.object_ids) == shown
    assert event.user == world.user("coordinator_a")


def test_list_paginates_with_constant_queries(world):
    facility = world.facility_a

    def add_rows(n):
        for _ in range(n):
            m = MembershipFactory(organisation=world.org_a, role=Role.PEER, facilities=[facility])
            TOTPDeviceFactory(user=m.user)

    assert_constant_queries(world.client("director_a"), LIST, add_rows)
    response = world.client("director_a").get(LIST + "?page=2")
    assert response.status_code == 200 and len(response.context["page"]) > 0


def test_navigation_entry_for_managers_only(world):
    assert "Équipe et accès" in world.client("coordinator_a").get("/").content.decode()
    assert "Équipe et accès" not in world.client("professional_a").get("/").content.decode()


# Invite ---------------------------------------------------------------------------------------


def test_invite_creates_account_pending_membership_and_sends_working_link(world, client):
    response = world.client("coordinator_a").post(INVITE, invite_data(world))
    assert response.status_code == 302
    user = User.objects.get(email="camille.martin@example.org")
    assert user.get_full_name() == "Camille Martin" and not user.has_usable_password()
    membership = user.memberships.get()
    assert membership.organisation == world.org_a and membership.role == Role.PROFESSIONAL
    assert list(membership.facilities.all()) == [world.facility_a]
    assert membership.invitation == "pending" and not membership.is_active
    event = last_access("accounts.membership")
    assert event.action == "create" and event.object_ids == [membership.pk]

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille.martin@example.org"] and world.org_a.name in message.subject
    assert "/compte/invitations/" in message.body
    link = re.search(r"https?://[^/\s]+(/compte/mot-de-passe/\S+)", message.body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200 and "Choisir un mot de passe" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    new_password = "un-mot-de-passe-tres-solide-2025"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    # Setting the password gives no access: the person accepts the invitation at login.
    membership.refresh_from_db()
    assert not membership.is_active
    login = reverse("accounts:login")
    response = client.post(login, {"username": user.email, "password": new_password})
    assert response["Location"].startswith(reverse("accounts:invitations"))
    accept = reverse("accounts:invitation_accept", args=[membership.pk])
    assert accept in client.get(response["Location"]).content.decode()
    client.post(accept)
    membership.refresh_from_db()
    assert membership.is_active and membership.invitation == "accepted"


def test_invite_an_existing_account_of_another_organisation(world):
    user = world.user("coordinator_b")
    data = invite_data(world, email=user.email.upper(), first_name="Autre", last_name="Nom")
    response = world.client("coordinator_a").post(INVITE, data, follow=True)
    html = response.content.decode()
    assert "Invitation envoyée" in html
    assert world.org_b.name not in html  # nothing about the account's other organisations
    user.refresh_from_db()
    assert user.first_name != "Autre"  # the existing account keeps its own name
    assert user.has_usable_password()
    pending = user.memberships.get(organisation=world.org_a)
    assert (pending.role, pending.is_active, pending.invitation) == (
        Role.PROFESSIONAL,
        False,
        "pending",
    )
    (message,) = mail.outbox
    assert "/compte/invitations/" in message.body and "mot-de-passe" not in message.body
    assert world.org_b.name not in message.body


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide"),
        ({"first_name": ""}, "Indiquez le prénom."),
        ({"role": "admin"}, "Choisissez un des rôles proposés."),
        ({"role": "national_observer"}, "Choisissez un des rôles proposés."),
        ({"role": "regional_observer"}, "Choisissez un des rôles proposés."),
        ({"role": "director"}, "Choisissez un des rôles proposés."),  # coordinator: no director
        ({"facilities": ["FACILITY_B"]}, "Choisissez uniquement des dispositifs de votre"),
        ({"facilities": ["abc"]}, "Choisissez uniquement des dispositifs de votre"),
    ],
)
def test_invite_refuses_bad_input_and_saves_nothing(world, extra, message):
    if extra.get("facilities") == ["FACILITY_B"]:
        extra = {"facilities": [world.facility_a.pk, world.facility_b.pk]}
    users, memberships = User.objects.count(), Membership.objects.count()
    response = world.client("coordinator_a").post(INVITE, invite_data(world, **extra))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert 'id="form-errors"' in errors_of(response)
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert not mail.outbox


def test_director_may_grant_director(world):
    data = invite_data(world, role=Role.DIRECTOR, facilities=[])
    response = world.client("director_a").post(INVITE, data)
    assert response.status_code == 302
    assert Membership.objects.get(user__email="camille.martin@example.org").role == Role.DIRECTOR


def test_duplicate_membership_is_refused_in_french(world):
    existing = world.membership("professional_a")
    existing.is_active = False
    existing.save()
    count = Membership.objects.count()
    data = invite_data(world, email=existing.user.email)
    response = world.client("coordinator_a").post(INVITE, data)
    assert "Cette personne a déjà ce rôle dans votre organisation." in errors_of(response)
    assert Membership.objects.count() == count and not mail.outbox


def test_same_person_may_get_a_second_role(world):
    user = world.user("professional_a")
    data = invite_data(world, email=user.email, role=Role.PEER)
    assert world.client("coordinator_a").post(INVITE, data).status_code == 302
    assert user.memberships.filter(organisation=world.org_a).count() == 2


# Edit, deactivate, reactivate -----------------------------------------------------------------


def test_edit_role_and_facilities(world):
    membership = world.membership("peer_a")
    second = FacilityFactory(organisation=world.org_a, name="CATTP Alpha")
    client = world.client("coordinator_a")
    response = client.get(update_url(membership))
    assert response.status_code == 200 and last_access("accounts.membership").action == "view"
    data = {"role": Role.PROFESSIONAL, "facilities": [second.pk]}
    assert client.post(update_url(membership), data).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.PROFESSIONAL
    assert list(membership.facilities.all()) == [second]
    event = last_access("accounts.membership")
    assert event.action == "update" and event.object_ids == [membership.pk]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "admin"}, "Choisissez un des rôles proposés."),
        ({"role": "director"}, "Choisissez un des rôles proposés."),
        ({"role": "peer", "facilities": ["FACILITY_B"]}, "dispositifs de votre organisation"),
    ],
)
def test_edit_refuses_bad_input(world, data, message):
    membership = world.membership("professional_a")
    if data.get("facilities"):
        data = data | {"facilities": [world.facility_b.pk]}
    response = world.client("coordinator_a").post(update_url(membership), data)
    assert response.status_code == 200 and message in errors_of(response)
    membership.refresh_from_db()
    assert membership.role == Role.PROFESSIONAL
    assert list(membership.facilities.all()) == [world.facility_a]


def test_edit_to_a_role_the_person_already_has_is_refused(world):
    user = world.user("professional_a")
    MembershipFactory(user=user, organisation=world.org_a, role=Role.PEER)
    membership = world.membership("professional_a")
    response = world.client("coordinator_a").post(update_url(membership), {"role": Role.PEER})
    assert "Cette personne a déjà ce rôle" in errors_of(response)
    membership.refresh_from_db()
    assert membership.role == Role.PROFESSIONAL


def test_manager_cannot_change_own_role(world):
    membership = world.membership("coordinator_a")
    client = world.client("coordinator_a")
    response = client.post(
        update_url(membership), {"role": Role.PEER, "facilities": [world.facility_a.pk]}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR  # the disabled field ignores the posted value
    assert list(membership.facilities.all()) == [world.facility_a]


def test_deactivate_then_reactivate(world):
    membership = world.membership("professional_a")
    client = world.client("director_a")
    url = reverse("accounts:membership_deactivate", args=[membership.pk])
    response = client.post(url)
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    event = last_access("accounts.membership")
    assert event.action == "update" and event.object_ids == [membership.pk]
    assert "désactivé" in client.get(LIST).content.decode()
    # The person no longer acts for the organisation.
    response = world.client("professional_a").get(reverse("accompaniment:person_list"))
    assert response.status_code == 403
    client.post(reverse("accounts:membership_reactivate", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_self_deactivation_is_refused(world):
    membership = world.membership("coordinator_a")
    url = reverse("accounts:membership_deactivate", args=[membership.pk])
    response = world.client("coordinator_a").post(url, follow=True)
    assert "Vous ne pouvez pas désactiver votre propre accès" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active


def test_coordinator_cannot_touch_a_director(world):
    director = world.membership("director_a")
    client = world.client("coordinator_a")
    assert client.get(update_url(director)).status_code == 403
    url = reverse("accounts:membership_deactivate", args=[director.pk])
    assert client.post(url).status_code == 403
    director.refresh_from_db()
    assert director.is_active


@pytest.mark.parametrize("persona", ["peer_a", "professional_a", "admin", "regional_observer"])
def test_other_roles_are_refused(world, persona):
    client = world.client(persona)
    assert client.get(LIST).status_code == 403
    assert client.post(INVITE, invite_data(world)).status_code == 403
    target = world.membership("peer_a")
    assert client.post(update_url(target), {"role": Role.COORDINATOR}).status_code == 403
    assert not User.objects.filter(email="camille.martin@example.org").exists()


def test_other_organisation_answers_404(world):
    target = world.membership("peer_b")
    client = world.client("coordinator_a")
    assert client.get(update_url(target)).status_code == 404
    url = reverse("accounts:membership_deactivate", args=[target.pk])
    assert client.post(url).status_code == 404
    target.refresh_from_db()
    assert target.is_active


def test_invited_user_is_not_linked_to_an_unrelated_account(world):
    UserFactory(email="camille.martin@example.org.fr")
    world.client("coordinator_a").post(INVITE, invite_data(world))
    assert User.objects.filter(email="camille.martin@example.org").count() == 1


def test_email_failure_keeps_the_access_and_says_so(world, monkeypatch):
    def fail(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("entrepairs.accounts.team.send_invitation", fail)
    response = world.client("coordinator_a").post(INVITE, invite_data(world), follow=True)
    assert "le courriel n&#x27;a pas pu partir" in response.content.decode()
    assert Membership.objects.filter(user__email="camille.martin@example.org").exists()


# Deliberate deactivation and cancellation: a confirmation page, then the act -------------------


def deactivate_url(membership):
    return reverse("accounts:membership_deactivate", args=[membership.pk])


def cancel_url(membership):
    return reverse("accounts:membership_cancel_invitation", args=[membership.pk])


def pending_invitation(world, **extra):
    return MembershipFactory(
        organisation=world.org_a,
        role=Role.PROFESSIONAL,
        is_active=False,
        invitation=Membership.Invitation.PENDING,
        invited_first_name="Camille",
        invited_last_name="Martin",
        invited_at=timezone.now(),
        **extra,
    )


def test_team_list_links_to_the_confirmation_pages_and_posts_nothing_in_one_tap(world):
    member = world.membership("professional_a")
    invitation = pending_invitation(world)
    page = world.client("coordinator_a").get(LIST).content.decode()
    assert f'href="{deactivate_url(member)}"' in page
    assert f'href="{cancel_url(invitation)}"' in page
    assert f'action="{deactivate_url(member)}"' not in page
    assert f'action="{deactivate_url(invitation)}"' not in page
    assert f'action="{cancel_url(invitation)}"' not in page


def test_deactivation_page_says_what_and_for_whom_and_changes_nothing(world):
    member = world.membership("professional_a")
    client = world.client("coordinator_a")
    response = client.get(deactivate_url(member))
    assert response.status_code == 200
    page = response.content.decode()
    assert member.team_name in page and member.team_email in page
    assert "ne pourra plus se connecter pour" in page and world.org_a.name in page
    assert "Rien n'est supprimé" in page
    assert 'Confirmer<span class="visually-hidden">' in page and 'method="post"' in page
    assert f'href="{LIST}"' in page  # the way back
    member.refresh_from_db()
    assert member.is_active
    event = last_access("accounts.membership")
    assert event.action == "view" and event.object_ids == [member.pk]


def test_deactivation_post_acts_and_says_so(world):
    member = world.membership("professional_a")
    client = world.client("coordinator_a")
    response = client.post(deactivate_url(member))
    assert response.status_code == 302 and response.url == LIST
    member.refresh_from_db()
    assert not member.is_active and member.invitation == Membership.Invitation.ACCEPTED
    event = last_access("accounts.membership")
    assert event.action == "update" and event.object_ids == [member.pk]
    assert "désactivé : la personne ne peut plus agir" in client.get(LIST).content.decode()


def test_deactivation_is_undone_when_its_audit_fails(world, monkeypatch):
    """The write and its audit are one transaction: no deactivation without its trace."""
    member = world.membership("professional_a")

    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit indisponible")

    monkeypatch.setattr("entrepairs.accounts.team.log_access", broken_audit)
    with pytest.raises(RuntimeError):
        world.client("coordinator_a").post(deactivate_url(member))
    member.refresh_from_db()
    assert member.is_active


def test_deactivation_page_of_a_deactivated_access_offers_nothing(world):
    member = world.membership("professional_a")
    Membership.objects.filter(pk=member.pk).update(is_active=False)
    response = world.client("coordinator_a").get(deactivate_url(member), follow=True)
    assert "est déjà désactivé" in response.content.decode()
    assert response.redirect_chain[-1][0] == LIST


def test_own_deactivation_page_is_refused(world):
    own = world.membership("coordinator_a")
    response = world.client("coordinator_a").get(deactivate_url(own), follow=True)
    assert "Vous ne pouvez pas désactiver votre propre accès" in response.content.decode()
    own.refresh_from_db()
    assert own.is_active


def test_deactivation_page_of_an_invitation_leads_to_its_cancellation_page(world):
    invitation = pending_invitation(world)
    response = world.client("coordinator_a").get(deactivate_url(invitation))
    assert response.status_code == 302 and response.url == cancel_url(invitation)
    invitation.refresh_from_db()
    assert invitation.invitation == Membership.Invitation.PENDING


def test_cancellation_page_says_what_and_for_whom_and_changes_nothing(world):
    invitation = pending_invitation(world)
    response = world.client("director_a").get(cancel_url(invitation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Annuler l'invitation de Camille Martin" in page
    assert invitation.team_email in page and "professionnel·le" in page
    assert f"envoyée le {timezone.localdate(invitation.invited_at):%d/%m/%Y} à" in page
    assert "ne permettra plus de l'accepter" in page
    assert 'Confirmer<span class="visually-hidden">' in page and f'href="{LIST}"' in page
    invitation.refresh_from_db()
    assert invitation.invitation == Membership.Invitation.PENDING
    assert last_access("accounts.membership").action == "view"


def test_cancellation_post_cancels_and_audits(world):
    invitation = pending_invitation(world)
    client = world.client("coordinator_a")
    assert client.post(cancel_url(invitation)).status_code == 302
    invitation.refresh_from_db()
    assert (invitation.is_active, invitation.invitation) == (False, "cancelled")
    event = last_access("accounts.membership")
    assert event.action == "update" and event.object_ids == [invitation.pk]
    assert "Invitation de Camille Martin annulée." in client.get(LIST).content.decode()


@pytest.mark.parametrize("state", ["accepted", "declined", "cancelled"])
def test_cancellation_of_an_answered_invitation_changes_nothing(world, state):
    """Accepted meanwhile (between the page and the tap), declined or already cancelled."""
    invitation = pending_invitation(world)
    active = state == "accepted"
    Membership.objects.filter(pk=invitation.pk).update(invitation=state, is_active=active)
    client = world.client("coordinator_a")
    for method in (client.get, client.post):
        response = method(cancel_url(invitation), follow=True)
        assert "rien n&#x27;a été annulé" in response.content.decode()
        invitation.refresh_from_db()
        assert (invitation.invitation, invitation.is_active) == (state, active)


@pytest.mark.parametrize("method", ["get", "post"])
def test_confirmation_pages_of_another_organisation_answer_404(world, method):
    other_member = world.membership("peer_b")
    other_invitation = MembershipFactory(
        organisation=world.org_b,
        role=Role.PEER,
        is_active=False,
        invitation=Membership.Invitation.PENDING,
    )
    client = world.client("coordinator_a")
    assert getattr(client, method)(deactivate_url(other_member)).status_code == 404
    assert getattr(client, method)(cancel_url(other_invitation)).status_code == 404
    other_member.refresh_from_db()
    other_invitation.refresh_from_db()
    assert other_member.is_active
    assert other_invitation.invitation == Membership.Invitation.PENDING


def test_coordinator_cannot_open_the_deactivation_page_of_a_director(world):
    director = world.membership("director_a")
    assert world.client("coordinator_a").get(deactivate_url(director)).status_code == 403


@pytest.mark.parametrize("persona", ["peer_a", "professional_a", "regional_observer"])
def test_confirmation_pages_are_refused_to_other_roles(world, persona):
    member = world.membership("professional_a")
    invitation = pending_invitation(world)
    client = world.client(persona)
    assert client.get(deactivate_url(member)).status_code == 403
    assert client.post(cancel_url(invitation)).status_code == 403
    member.refresh_from_db()
    invitation.refresh_from_db()
    assert member.is_active and invitation.invitation == Membership.Invitation.PENDING
