import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from entrepairs.core.models import AccessEvent
from entrepairs.workforce.models import CharterSignature, MissionCharter, SignedCharterError
from tests.factories import DeploymentFactory, PeerWorkerFactory
from tests.utils import assert_constant_queries, last_access

from .factories import MissionCharterFactory, sign_fully, team_lead_for

pytestmark = pytest.mark.django_db


def charter_data(world, team_lead, **overrides):
    data = {
        "facility": world.facility_a.pk,
        "team_lead": team_lead.pk,
        "referent": "",
        "share_individual": "60",
        "share_groups": "25",
        "share_institutional": "15",
        "tasks_in_scope": "Accueil, soutien individuel, co-animation d'un groupe.",
        "out_of_scope": "Pas de soin, pas de décision clinique, pas de contention.",
        "supervision_every_weeks": "4",
        "shared_with_team": "Les orientations, avec l'accord de la personne.",
        "stays_private": "L'histoire de la personne.",
        "review_by": "",
    }
    data.update(overrides)
    return data


def test_coordinator_writes_a_charter(world):
    peer = world.peer("peer_a")
    url = reverse("workforce:charter_create", kwargs={"peer_pk": peer.pk})
    response = world.client("coordinator_a").post(
        url, charter_data(world, world.membership("professional_a"))
    )
    assert response.status_code == 302
    charter = MissionCharter.objects.get(peer=peer)
    assert charter.shares == {"individual": 60, "groups": 25, "institutional": 15}
    assert charter.version == 1 and not charter.is_fully_signed
    assert last_access("workforce.missioncharter").action == "create"


@pytest.mark.parametrize("shares", [("60", "30", "20"), ("10", "10", "10"), ("100", "0", "1")])
def test_shares_must_add_up_to_100(world, shares):
    peer = world.peer("peer_a")
    url = reverse("workforce:charter_create", kwargs={"peer_pk": peer.pk})
    data = charter_data(
        world,
        world.membership("professional_a"),
        share_individual=shares[0],
        share_groups=shares[1],
        share_institutional=shares[2],
    )
    response = world.client("coordinator_a").post(url, data)
    assert response.status_code == 200
    assert "Les parts de temps doivent faire 100 % au total" in response.content.decode()
    assert not MissionCharter.objects.exists()


def test_shares_are_checked_by_the_database_too(world):
    charter = MissionCharterFactory.build(
        peer=world.peer("peer_a"),
        facility=world.facility_a,
        team_lead=world.membership("professional_a"),
        created_by=world.user("coordinator_a"),
        share_individual=50,
        share_groups=30,
        share_institutional=30,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        charter.save()


def test_team_lead_must_work_in_the_facility(world):
    peer = world.peer("peer_a")
    outsider = team_lead_for(world.facility_a)
    outsider.facilities.clear()
    url = reverse("workforce:charter_create", kwargs={"peer_pk": peer.pk})
    response = world.client("coordinator_a").post(url, charter_data(world, outsider))
    assert "doit être un·e professionnel·le de ce dispositif" in response.content.decode()
    assert not MissionCharter.objects.exists()


def test_wrong_role_and_other_organisation(world):
    peer = world.peer("peer_a")
    url = reverse("workforce:charter_create", kwargs={"peer_pk": peer.pk})
    data = charter_data(world, world.membership("professional_a"))
    assert world.client("director_a").post(url, data).status_code == 403
    assert world.client("coordinator_b").post(url, data).status_code == 404
    assert not MissionCharter.objects.exists()


def sign_url(charter):
    return reverse("workforce:charter_sign", kwargs={"pk": charter.pk})


def test_three_parties_sign_in_turn(world):
    charter = MissionCharterFactory(
        peer=world.peer("peer_a"), team_lead=world.membership("professional_a")
    )
    # Out of turn: the coordinator and the team lead cannot sign before the peer.
    for persona in ("coordinator_a", "professional_a"):
        response = world.client(persona).post(sign_url(charter), follow=True)
        assert "Ce n&#x27;est pas encore votre tour" in response.content.decode() or (
            "Ce n'est pas encore votre tour" in response.content.decode()
        )
    assert not charter.signatures.exists()

    world.client("peer_a").post(sign_url(charter))
    response = world.client("peer_a").post(sign_url(charter), follow=True)
    assert "Vous avez déjà signé cette fiche de mission." in response.content.decode()
    assert charter.signatures.count() == 1

    world.client("professional_a").post(sign_url(charter))
    world.client("coordinator_a").post(sign_url(charter))
    charter.refresh_from_db()
    assert charter.is_fully_signed
    parties = list(charter.signatures.values_list("party", flat=True))
    assert parties == ["peer", "team_lead", "coordinator"]
    updates = AccessEvent.objects.about("workforce.missioncharter", charter.pk).filter(
        action="update"
    )
    assert updates.count() == 3
    assert MissionCharter.current_for(charter.peer) == charter
    assert MissionCharter.current_for(charter.peer).shares["individual"] == 50


def test_a_professional_who_is_not_the_team_lead_cannot_sign(world):
    charter = MissionCharterFactory(peer=world.peer("peer_a"))  # another team lead
    charter.sign(world.membership("peer_a"))
    response = world.client("professional_a").post(sign_url(charter), follow=True)
    assert "Vous n&#x27;êtes pas signataire" in response.content.decode() or (
        "Vous n'êtes pas signataire" in response.content.decode()
    )
    assert charter.signatures.count() == 1


@pytest.fixture
def signed(world):
    charter = MissionCharterFactory(peer=world.peer("peer_a"))
    return sign_fully(charter, coordinator=world.membership("coordinator_a"))


def test_signed_charter_cannot_change_in_the_model(signed):
    signed.share_individual = 40
    signed.share_groups = 40
    with pytest.raises(SignedCharterError):
        signed.save()
    with pytest.raises(SignedCharterError):
        MissionCharter.objects.filter(pk=signed.pk).update(tasks_in_scope="autre chose")
    with pytest.raises(SignedCharterError):
        MissionCharter.objects.filter(pk=signed.pk).delete()
    with pytest.raises(SignedCharterError):
        signed.delete()
    signature = signed.signatures.first()
    with pytest.raises(SignedCharterError):
        signature.save()
    with pytest.raises(SignedCharterError):
        signature.delete()
    with pytest.raises(SignedCharterError):
        CharterSignature.objects.filter(charter=signed).update(party="peer")
    with pytest.raises(SignedCharterError):
        CharterSignature.objects.filter(charter=signed).delete()
    signed.refresh_from_db()
    assert signed.share_individual == 50 and signed.signatures.count() == 3


def test_signed_charter_cannot_change_through_the_views(world, signed):
    client = world.client("coordinator_a")
    url = reverse("workforce:charter_update", kwargs={"pk": signed.pk})
    response = client.post(
        url,
        charter_data(
            world,
            signed.team_lead,
            share_individual="10",
            share_groups="80",
            share_institutional="10",
        ),
    )
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.share_individual == 50
    response = client.post(sign_url(signed), follow=True)
    assert signed.signatures.count() == 3


def test_signed_charter_is_read_only_in_the_admin(world, signed):
    client = world.client("admin")
    url = reverse("admin:workforce_missioncharter_change", args=[signed.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="share_individual"' not in response.content.decode()  # read-only display
    response = client.post(
        url, {"share_individual": "10", "share_groups": "80", "share_institutional": "10"}
    )
    assert response.status_code == 403
    delete = client.post(
        reverse("admin:workforce_missioncharter_delete", args=[signed.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    signed.refresh_from_db()
    assert signed.share_individual == 50


def test_unsigned_charter_can_be_edited_in_the_admin(world):
    charter = MissionCharterFactory(peer=world.peer("peer_a"))
    response = world.client("admin").get(
        reverse("admin:workforce_missioncharter_change", args=[charter.pk])
    )
    assert 'name="share_individual"' in response.content.decode()


def test_new_version_copies_unsigned(world, signed):
    response = world.client("coordinator_a").post(
        reverse("workforce:charter_new_version", kwargs={"pk": signed.pk})
    )
    copy = MissionCharter.objects.get(previous=signed)
    assert response["Location"] == reverse("workforce:charter_update", kwargs={"pk": copy.pk})
    assert copy.version == signed.version + 1 and not copy.signatures.exists()
    assert copy.tasks_in_scope == signed.tasks_in_scope
    response = world.client("coordinator_a").post(
        reverse("workforce:charter_update", kwargs={"pk": copy.pk}),
        charter_data(
            world,
            copy.team_lead,
            share_individual="30",
            share_groups="40",
            share_institutional="30",
        ),
    )
    copy.refresh_from_db()
    assert copy.share_individual == 30
    # The old version stays the current one until the new one is fully signed.
    assert MissionCharter.current_for(signed.peer) == signed
    # Only one newer version per charter.
    world.client("coordinator_a").post(
        reverse("workforce:charter_new_version", kwargs={"pk": signed.pk})
    )
    assert MissionCharter.objects.filter(peer=signed.peer).count() == 2


def test_pdf_and_print_view(world, signed):
    client = world.client("professional_a")  # works in the charter's facility
    response = client.get(reverse("workforce:charter_pdf", kwargs={"pk": signed.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert last_access("workforce.missioncharter").action == "export"
    response = client.get(reverse("workforce:charter_print", kwargs={"pk": signed.pk}))
    assert "Accompagnement individuel" in response.content.decode()


def test_professional_sees_charters_of_their_facilities_only(world):
    mine = MissionCharterFactory(peer=world.peer("peer_a"))
    elsewhere_peer = PeerWorkerFactory(employer=world.org_a)
    other_facility = DeploymentFactory(
        peer=elsewhere_peer, facility__organisation=world.org_a
    ).facility
    other = MissionCharterFactory(peer=elsewhere_peer, facility=other_facility)
    response = world.client("professional_a").get(reverse("workforce:charter_list"))
    ids = [c.pk for c in response.context["page"]]
    assert ids == [mine.pk]
    assert (
        world.client("professional_a")
        .get(reverse("workforce:charter_detail", kwargs={"pk": other.pk}))
        .status_code
        == 404
    )


def test_charter_list_has_constant_queries(world):
    def add(n):
        for _ in range(n):
            sign_fully(
                MissionCharterFactory(peer=world.peer("peer_a")),
                coordinator=world.membership("coordinator_a"),
            )

    assert_constant_queries(
        world.client("coordinator_a"), reverse("workforce:charter_list"), add, 2, 6
    )
