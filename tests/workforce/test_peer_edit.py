"""Creating and editing a peer worker: coordinators and directors of the organisation only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from entrepairs.core.roles import Role
from entrepairs.territory.models import Organisation
from entrepairs.workforce.models import Contract, Deployment, PeerWorker
from tests.factories import (
    DeploymentFactory,
    FacilityFactory,
    MembershipFactory,
    OrganisationFactory,
    PeerWorkerFactory,
    UserFactory,
)
from tests.utils import last_access

from .factories import ContractFactory

pytestmark = pytest.mark.django_db
CREATE = reverse("workforce:peer_create")


def update_url(peer):
    return reverse("workforce:peer_update", kwargs={"pk": peer.pk})


def free_peer_account(org, **membership):
    """A user with an active peer membership in ``org`` and no peer record yet."""
    user = UserFactory(first_name="Nadia", last_name="Benali")
    MembershipFactory(user=user, organisation=org, role=Role.PEER, **membership)
    return user


def association():
    return OrganisationFactory(name="Association Entraide Nord", kind=Organisation.Kind.ASSOCIATION)


def peer_data(world, **overrides):
    data = {
        "first_name": "Nadia",
        "last_name": "Benali",
        "title": "msp",
        "status": "recruiting",
        "placement": "employed",
        "seconded_to": "",
        "user": "",
        f"share_{world.facility_a.pk}": "50",
    }
    data.update(overrides)
    return data


def errors_of(response):
    assert response.status_code == 200
    return response.content.decode()


# Creating ------------------------------------------------------------------------------------
def test_coordinator_creates_a_peer_linked_to_a_free_account(world):
    user = free_peer_account(world.org_a)
    response = world.client("coordinator_a").post(CREATE, peer_data(world, user=user.pk))
    peer = PeerWorker.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("workforce:peer_detail", kwargs={"pk": peer.pk})
    assert (peer.first_name, peer.last_name, peer.title, peer.status) == (
        "Nadia",
        "Benali",
        "msp",
        "recruiting",
    )
    assert peer.employer == world.org_a and peer.host_organisation is None
    deployment = peer.deployments.get()
    assert deployment.facility == world.facility_a and deployment.time_share == Decimal("0.50")
    event = last_access("workforce.peerworker")
    assert event.action == "create" and event.object_ids == [peer.pk]
    assert event.user == world.user("coordinator_a")


def test_director_creates_a_peer_without_account_or_deployment(world):
    data = peer_data(world, **{f"share_{world.facility_a.pk}": ""})
    response = world.client("director_a").post(CREATE, data)
    assert response.status_code == 302
    peer = PeerWorker.objects.get(last_name="Benali")
    assert peer.user is None and not peer.deployments.exists()


def test_the_employer_seconds_a_peer_to_a_host_that_then_sees_it(world):
    data = peer_data(world, placement="seconded", seconded_to=world.org_b.pk)
    world.client("coordinator_a").post(CREATE, data)
    peer = PeerWorker.objects.get(last_name="Benali")
    assert peer.employer == world.org_a and peer.host_organisation == world.org_b
    assert PeerWorker.objects.visible_to(world.membership("coordinator_b")).filter(pk=peer.pk)


def test_the_form_offers_only_free_peer_accounts_of_the_organisation(world):
    free = free_peer_account(world.org_a)
    inactive = free_peer_account(world.org_a, is_active=False)
    other_org = free_peer_account(world.org_b)
    response = world.client("coordinator_a").get(CREATE)
    offered = set(response.context["form"].fields["user"].queryset)
    assert offered == {free}
    assert not {inactive, other_org, world.user("peer_a"), world.user("professional_a")} & offered
    # Hosts: organisations with a coordinator on the platform, never our own, never an ARS
    # nor an association nobody runs here.
    lender = association()
    hosts = set(response.context["form"].fields["seconded_to"].queryset)
    assert world.org_b in hosts and world.org_a not in hosts and lender not in hosts
    assert not any(org.kind == Organisation.Kind.ARS for org in hosts)
    labels = [field.label for field in response.context["form"].share_fields()]
    assert labels == [world.facility_a.name]


@pytest.mark.parametrize("persona", ["peer_a", "professional_a", "regional_observer", "admin"])
def test_other_roles_cannot_create_a_peer(world, persona):
    response = world.client(persona).post(CREATE, peer_data(world))
    assert response.status_code == 403
    assert not PeerWorker.objects.filter(last_name="Benali").exists()


# Bad input: a French message, nothing saved ---------------------------------------------------
def assert_nothing_created(world):
    assert not PeerWorker.objects.filter(last_name__in=["Benali", ""]).exists()
    assert Deployment.objects.count() == 2  # those of peer_a and peer_b


def account_of_another_peer(world):
    return world.user("peer_a").pk


def account_of_another_organisation(world):
    return free_peer_account(world.org_b).pk


def professional_account(world):
    return world.user("professional_a").pk


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_name": "  "}, "Indiquez le prénom."),
        ({"last_name": ""}, "Indiquez le nom."),
        ({"title": ""}, "Choisissez un titre."),
        ({"user": account_of_another_peer}, "Ce compte est déjà relié à un·e autre pair-aidant·e."),
        ({"user": account_of_another_organisation}, "pas un compte de pair-aidant·e actif"),
        ({"user": professional_account}, "pas un compte de pair-aidant·e actif"),
        ({"user": "999999"}, "pas un compte de pair-aidant·e actif"),
        ({"placement": "seconded"}, "Choisissez la structure où ce·tte pair est mis·e"),
        (
            {"placement": "seconded", "seconded_to": "999999"},
            "Choisissez une structure d&#x27;accueil de la liste.",
        ),
        ({"placement": "ailleurs"}, "Choisissez une situation d&#x27;emploi"),
        ({"share": "0"}, "comprise entre 1 et 100 %"),
        ({"share": "150"}, "comprise entre 1 et 100 %"),
        ({"share": "beaucoup"}, "Indiquez un nombre entier de 1 à 100."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_saved(world, overrides, message):
    overrides = {k: v(world) if callable(v) else v for k, v in overrides.items()}
    if "share" in overrides:
        overrides[f"share_{world.facility_a.pk}"] = overrides.pop("share")
    response = world.client("coordinator_a").post(CREATE, peer_data(world, **overrides))
    body = errors_of(response)
    assert "rien n'a été enregistré" in body
    assert message in body
    assert_nothing_created(world)
    assert world.peer("peer_a").user == world.user("peer_a")


def test_time_shares_over_100_percent_are_refused(world):
    second = FacilityFactory(organisation=world.org_a, name="CATTP Alpha")
    data = peer_data(world, **{f"share_{second.pk}": "60", f"share_{world.facility_a.pk}": "50"})
    body = errors_of(world.client("coordinator_a").post(CREATE, data))
    assert "dépassent 100 % au total (actuellement 110 %)" in body
    assert_nothing_created(world)


def test_a_failure_while_saving_deployments_leaves_nothing_half_saved(world, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(Deployment.objects, "create", fail)
    with pytest.raises(RuntimeError):
        world.client("coordinator_a").post(CREATE, peer_data(world))
    assert_nothing_created(world)
    assert last_access("workforce.peerworker") is None


def test_a_likely_duplicate_is_saved_with_a_warning(world):
    existing = world.peer("peer_a")
    PeerWorkerFactory(employer=world.org_b, first_name="Nadia", last_name="Benali")  # other org
    client = world.client("coordinator_a")
    response = client.post(CREATE, peer_data(world), follow=True)
    assert "doublon" not in response.content.decode()
    data = peer_data(world, first_name=existing.first_name.upper(), last_name=existing.last_name)
    response = client.post(CREATE, data, follow=True)
    assert response.status_code == 200
    assert "Vérifiez qu&#x27;il ne s&#x27;agit pas d&#x27;un doublon" in response.content.decode()
    # Within the organisation: the factory's random names may give org B's peer the same one.
    same_name = PeerWorker.objects.filter(employer=world.org_a, last_name=existing.last_name)
    assert same_name.count() == 2


def test_duplicates_ignore_case_accents_and_spaces(world):
    PeerWorkerFactory(employer=world.org_a, first_name="Élodie", last_name="Lefèvre")
    data = peer_data(world, first_name="elodie ", last_name="LEFEVRE")
    response = world.client("coordinator_a").post(CREATE, data, follow=True)
    assert "doublon" in response.content.decode()


# Editing -------------------------------------------------------------------------------------
def test_update_form_shows_the_peer_and_logs_the_view(world):
    peer = world.peer("peer_a")
    response = world.client("coordinator_a").get(update_url(peer))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["first_name"].value() == peer.first_name
    assert form[f"share_{world.facility_a.pk}"].value() == 80
    assert form.fields["user"].disabled
    event = last_access("workforce.peerworker")
    assert event.action == "view" and event.object_ids == [peer.pk]


def test_a_peer_who_left_stays_in_history(world):
    peer = world.peer("peer_a")
    contract = ContractFactory(peer=peer)
    data = peer_data(
        world,
        first_name=peer.first_name,
        last_name="Nouveau-Nom",
        status="left",
        **{f"share_{world.facility_a.pk}": "100"},
    )
    response = world.client("coordinator_a").post(update_url(peer), data)
    assert response.status_code == 302
    peer.refresh_from_db()
    assert peer.last_name == "Nouveau-Nom" and peer.status == "left"
    assert peer.user == world.user("peer_a")  # the account link cannot change here
    assert peer.deployments.get().time_share == Decimal("1")
    assert Contract.objects.filter(pk=contract.pk, peer=peer).exists()
    assert last_access("workforce.peerworker").action == "update"
    listing = world.client("coordinator_a").get(reverse("workforce:peer_list"))
    assert "Nouveau-Nom" in listing.content.decode()


def test_the_linked_account_cannot_be_swapped(world):
    peer = world.peer("peer_a")
    other = free_peer_account(world.org_a)
    data = peer_data(world, first_name=peer.first_name, last_name=peer.last_name, user=other.pk)
    world.client("coordinator_a").post(update_url(peer), data)
    peer.refresh_from_db()
    assert peer.user == world.user("peer_a")


def test_an_unlinked_peer_gets_an_account_and_a_facility_removed(world):
    peer = PeerWorkerFactory(employer=world.org_a, first_name="Paul", last_name="Durand")
    DeploymentFactory(peer=peer, facility=world.facility_a)
    user = free_peer_account(world.org_a)
    data = peer_data(
        world,
        first_name="Paul",
        last_name="Durand",
        user=user.pk,
        **{f"share_{world.facility_a.pk}": ""},
    )
    world.client("director_a").post(update_url(peer), data)
    peer.refresh_from_db()
    assert peer.user == user and not peer.deployments.exists()


def test_the_employer_ends_a_secondment(world):
    peer = PeerWorkerFactory(employer=world.org_a, host_organisation=world.org_b)
    DeploymentFactory(peer=peer, facility=world.facility_b, time_share="0.70")
    client = world.client("coordinator_a")
    form = client.get(update_url(peer)).context["form"]
    assert form["placement"].value() == "seconded" and form["seconded_to"].value() == world.org_b.pk
    data = peer_data(world, first_name=peer.first_name, last_name=peer.last_name)
    assert client.post(update_url(peer), data).status_code == 302
    peer.refresh_from_db()
    assert peer.employer == world.org_a and peer.host_organisation is None
    # The time at the former host ends with the secondment (here 50 % at home, no more 70 %).
    assert {d.facility: d.time_share for d in peer.deployments.all()} == {
        world.facility_a: Decimal("0.50")
    }


def test_a_peer_lent_out_keeps_the_hosts_deployments(world):
    peer = PeerWorkerFactory(employer=world.org_a, host_organisation=world.org_b)
    DeploymentFactory(peer=peer, facility=world.facility_b, time_share="0.70")
    client = world.client("coordinator_a")
    response = client.get(update_url(peer))
    assert response.context["form"]["seconded_to"].value() == world.org_b.pk
    lent = {"placement": "seconded", "seconded_to": world.org_b.pk}
    too_much = peer_data(world, first_name=peer.first_name, last_name=peer.last_name, **lent)
    assert "actuellement 120 %" in errors_of(client.post(update_url(peer), too_much))
    data = {**too_much, f"share_{world.facility_a.pk}": "30"}
    assert client.post(update_url(peer), data).status_code == 302
    peer.refresh_from_db()
    assert peer.employer == world.org_a and peer.host_organisation == world.org_b
    shares = {d.facility: d.time_share for d in peer.deployments.all()}
    assert shares == {world.facility_a: Decimal("0.30"), world.facility_b: Decimal("0.70")}


def test_bad_update_changes_nothing(world):
    peer = world.peer("peer_a")
    before = (peer.first_name, peer.last_name, peer.status)
    data = peer_data(world, first_name="", last_name="Autre", status="left")
    body = errors_of(world.client("coordinator_a").post(update_url(peer), data))
    assert "Indiquez le prénom." in body
    assert f"Modifier – {before[0]} {before[1]}" in body
    peer.refresh_from_db()
    assert (peer.first_name, peer.last_name, peer.status) == before
    assert peer.deployments.get().time_share == Decimal("0.80")


def test_another_organisations_peer_answers_404(world):
    peer = world.peer("peer_a")
    client = world.client("coordinator_b")
    assert client.get(update_url(peer)).status_code == 404
    data = peer_data(world, first_name="Pris", last_name="Ailleurs")
    assert client.post(update_url(peer), data).status_code == 404
    peer.refresh_from_db()
    assert peer.last_name != "Ailleurs"


@pytest.mark.parametrize("persona", ["peer_a", "professional_a", "national_observer"])
def test_other_roles_cannot_edit_a_peer(world, persona):
    peer = world.peer("peer_a")
    data = peer_data(world, first_name="Pris", last_name="Ailleurs")
    assert world.client(persona).post(update_url(peer), data).status_code == 403
    peer.refresh_from_db()
    assert peer.last_name != "Ailleurs"


# Links ---------------------------------------------------------------------------------------
def test_list_and_dossier_link_to_the_forms(world):
    peer = world.peer("peer_a")
    coordinator = world.client("coordinator_a")
    assert CREATE in coordinator.get(reverse("workforce:peer_list")).content.decode()
    detail = reverse("workforce:peer_detail", kwargs={"pk": peer.pk})
    assert update_url(peer) in coordinator.get(detail).content.decode()
    assert update_url(peer) not in world.client("peer_a").get(detail).content.decode()
