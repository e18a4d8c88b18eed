import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import DeploymentFactory, PeerWorkerFactory
from tests.utils import assert_constant_queries, last_access

from .factories import (
    ContractFactory,
    MentoringFactory,
    MissionCharterFactory,
    TrainingFactory,
    sign_fully,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_dashboard_figures(world):
    peer = world.peer("peer_a")
    ContractFactory(peer=peer, kind="cdi", fte="0.8")
    second = PeerWorkerFactory(employer=world.org_a, status="training")
    DeploymentFactory(peer=second, facility=world.facility_a)
    ContractFactory(
        peer=second,
        kind="pec",
        fte="0.5",
        start=TODAY - datetime.timedelta(days=10),
        end=TODAY + datetime.timedelta(days=20),
    )
    ContractFactory(peer=world.peer("peer_b"), kind="cdd", fte="1")  # other organisation
    TrainingFactory(peer=second, status="en_cours")
    sign_fully(
        MissionCharterFactory(peer=peer, review_by=TODAY + datetime.timedelta(days=30)),
        coordinator=world.membership("coordinator_a"),
    )
    MissionCharterFactory(peer=second)
    MentoringFactory(mentor=world.membership("professional_a"), mentee=world.membership("peer_a"))

    response = world.client("director_a").get(reverse("workforce:dashboard"))
    ctx = response.context
    assert (
        dict(ctx["status_rows"])["en poste"] == 1 and dict(ctx["status_rows"])["en formation"] == 1
    )
    assert ctx["totals"]["fte"] == Decimal("1.3")
    assert ctx["totals"]["n"] == 2 and ctx["totals"]["precarious"] == 1
    kinds = {label: (n, p) for label, n, p in ctx["kind_rows"]}
    assert kinds["contrat aidé (PEC)"] == (1, 1) and kinds["CDI"] == (1, 0)
    assert ctx["trainings_in_progress"] == 1
    assert ctx["charter_counts"] == {"signed": 1, "missing": 1, "in_signature": 1, "expiring": 1}
    assert ctx["mentoring_active"] == 1
    assert [c.peer for c in ctx["ending"]] == [second]
    assert "Contrats se terminant dans les 90 jours" in response.content.decode()


def test_peer_list_and_dossier(world):
    ContractFactory(peer=world.peer("peer_a"), kind="cdd", end=TODAY + datetime.timedelta(days=400))
    response = world.client("coordinator_a").get(reverse("workforce:peer_list"))
    assert [p.pk for p in response.context["page"]] == [world.peer("peer_a").pk]
    assert "précaire" in response.content.decode()
    assert last_access("workforce.peerworker").action == "list"

    url = reverse("workforce:peer_detail", kwargs={"pk": world.peer("peer_a").pk})
    assert world.client("peer_a").get(url).status_code == 200
    assert world.client("professional_a").get(url).status_code == 403
    assert world.client("coordinator_b").get(url).status_code == 404
    other = PeerWorkerFactory(employer=world.org_a)
    assert (
        world.client("peer_a")
        .get(reverse("workforce:peer_detail", kwargs={"pk": other.pk}))
        .status_code
        == 404
    )


def test_my_dossier_redirects_to_own_dossier(world):
    response = world.client("peer_a").get(reverse("workforce:my_dossier"))
    assert response["Location"] == reverse(
        "workforce:peer_detail", kwargs={"pk": world.peer("peer_a").pk}
    )


def test_list_pages_have_constant_queries(world):
    def add(n):
        for _ in range(n):
            peer = PeerWorkerFactory(employer=world.org_a)
            DeploymentFactory(peer=peer, facility=world.facility_a)
            ContractFactory(peer=peer, ending_soon=True)
            MissionCharterFactory(peer=peer)

    client = world.client("coordinator_a")
    assert_constant_queries(client, reverse("workforce:peer_list"), add)
    assert_constant_queries(client, reverse("workforce:dashboard"), add)
