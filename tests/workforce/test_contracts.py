import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from entrepairs.core.roles import Role
from entrepairs.workforce.models import Contract, SalaryStep
from entrepairs.workforce.tasks import send_contract_reminders
from tests.factories import MembershipFactory, PeerWorkerFactory
from tests.utils import assert_constant_queries, last_access

from .factories import ContractFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@given(
    kind=st.sampled_from(Contract.Kind.values),
    has_end=st.booleans(),
)
def test_precarity_is_derived_from_kind_and_end(kind, has_end):
    contract = Contract(
        kind=kind,
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2025, 1, 1) if has_end else None,
    )
    expected = has_end or kind in {"cdd", "pec", "vacataire", "benevole"}
    assert contract.is_precarious is expected
    assert ("contrat aidé" in contract.precarity_reasons) is (kind == "pec")


def test_precarious_queryset_matches_the_property(world):
    peer = world.peer("peer_a")
    ContractFactory(peer=peer, kind="cdi")
    ContractFactory(
        peer=peer, kind="fph", start=datetime.date(2020, 1, 1), end=datetime.date(2020, 12, 31)
    )
    ContractFactory(
        peer=peer, kind="benevole", employer=world.org_b, start=datetime.date(2021, 1, 1)
    )
    assert {c.pk for c in Contract.objects.precarious()} == {
        c.pk for c in Contract.objects.all() if c.is_precarious
    }
    assert Contract.objects.precarious().count() == 2


def contract_data(world, **overrides):
    data = {
        "kind": "cdd",
        "employer": world.org_a.pk,
        "start": "2025-01-01",
        "end": "2025-12-31",
        "fte": "0.5",
        "grade": "",
        "gross_monthly_pay": "",
        "funding": "ars",
    }
    data.update(overrides)
    return data


def test_coordinator_adds_a_contract_on_the_example_grid(world):
    peer = world.peer("peer_a")
    step = SalaryStep.objects.filter(grid__is_example=True).order_by("order").first()
    url = reverse("workforce:contract_create", kwargs={"peer_pk": peer.pk})
    response = world.client("coordinator_a").post(url, contract_data(world, grade=step.pk))
    assert response.status_code == 302
    contract = Contract.objects.get(peer=peer)
    assert contract.gross_monthly_pay == step.gross_monthly  # taken from the grid step
    assert contract.is_precarious
    assert last_access("workforce.contract").action == "create"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"end": "2024-06-01"}, "La date de fin ne peut pas précéder la date de début."),
        ({"fte": "1.5"}, "La quotité (ETP) doit être comprise entre 0,01 et 1."),
        ({"fte": "0"}, "La quotité (ETP) doit être comprise entre 0,01 et 1."),
        ({"fte": "-0.2"}, "La quotité (ETP) doit être comprise entre 0,01 et 1."),
    ],
)
def test_bad_contract_is_refused_in_french(world, overrides, message):
    peer = world.peer("peer_a")
    url = reverse("workforce:contract_create", kwargs={"peer_pk": peer.pk})
    response = world.client("coordinator_a").post(url, contract_data(world, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'id="form-errors"' in response.content.decode()
    assert not Contract.objects.exists()


def test_overlapping_contract_with_same_employer_is_refused(world):
    peer = world.peer("peer_a")
    ContractFactory(peer=peer, start=datetime.date(2024, 1, 1), end=None)
    url = reverse("workforce:contract_create", kwargs={"peer_pk": peer.pk})
    response = world.client("coordinator_a").post(url, contract_data(world))
    assert "chevauche un autre contrat" in response.content.decode()
    assert Contract.objects.count() == 1
    # The same dates with another employer are fine: here the host records its own contract.
    peer.host_organisation = world.org_b
    peer.save()
    response = world.client("coordinator_b").post(
        url, contract_data(world, employer=world.org_b.pk)
    )
    assert response.status_code == 302
    assert Contract.objects.count() == 2


def test_peer_cannot_add_a_contract_and_other_org_gets_404(world):
    peer = world.peer("peer_a")
    url = reverse("workforce:contract_create", kwargs={"peer_pk": peer.pk})
    assert world.client("peer_a").post(url, contract_data(world)).status_code == 403
    assert world.client("coordinator_b").post(url, contract_data(world)).status_code == 404
    assert not Contract.objects.exists()


def test_update_contract(world):
    contract = ContractFactory(peer=world.peer("peer_a"))
    url = reverse("workforce:contract_update", kwargs={"pk": contract.pk})
    response = world.client("director_a").post(
        url, contract_data(world, kind="cdi", start="2024-01-01", end="", fte="1")
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.fte == Decimal("1") and not contract.is_precarious
    assert last_access("workforce.contract").action == "update"


def test_peer_sees_own_contract_not_others(world):
    own = ContractFactory(peer=world.peer("peer_a"))
    other_peer = PeerWorkerFactory(employer=world.org_a)
    other = ContractFactory(peer=other_peer)
    client = world.client("peer_a")
    assert (
        client.get(reverse("workforce:contract_detail", kwargs={"pk": own.pk})).status_code == 200
    )
    assert (
        client.get(reverse("workforce:contract_detail", kwargs={"pk": other.pk})).status_code == 404
    )
    assert last_access("workforce.contract").object_ids == [own.pk]


def test_contracts_ending_within_90_days_only(world):
    peer = world.peer("peer_a")
    soon = ContractFactory(peer=peer, ending_soon=True)
    ContractFactory(
        peer=peer,
        kind="cdd",
        start=TODAY - datetime.timedelta(days=900),
        end=TODAY - datetime.timedelta(days=400),
    )
    late = ContractFactory(
        peer=PeerWorkerFactory(employer=world.org_a),
        kind="cdd",
        start=TODAY,
        end=TODAY + datetime.timedelta(days=200),
    )
    other_org = ContractFactory(peer=world.peer("peer_b"), ending_soon=True)
    response = world.client("director_a").get(reverse("workforce:contracts_ending"))
    ids = [c.pk for c in response.context["contracts"]]
    assert ids == [soon.pk]
    assert late.pk not in ids and other_org.pk not in ids
    assert last_access("workforce.contract").object_ids == [soon.pk]


def test_contract_lists_have_constant_queries(world):
    client = world.client("coordinator_a")

    def add(n):
        for _ in range(n):
            ContractFactory(peer=PeerWorkerFactory(employer=world.org_a), ending_soon=True)

    assert_constant_queries(client, reverse("workforce:contract_list"), add)
    assert_constant_queries(client, reverse("workforce:contracts_ending"), add)


def test_weekly_reminder_email_goes_to_managers_of_the_organisation(world):
    soon_a = ContractFactory(peer=world.peer("peer_a"), ending_soon=True)
    ContractFactory(peer=PeerWorkerFactory(employer=world.org_a), kind="cdi")  # no end
    soon_b = ContractFactory(peer=world.peer("peer_b"), ending_soon=True)
    MembershipFactory(organisation=world.org_a, role=Role.COORDINATOR, is_active=False)
    call_command("send_contract_reminders")  # immediate backend in tests
    assert len(mail.outbox) == 2
    by_org = {m.body.split(" de ", 2)[2].split(" qui")[0]: m for m in mail.outbox}
    mail_a = by_org[world.org_a.name]
    assert sorted(mail_a.to) == sorted(
        [world.user("coordinator_a").email, world.user("director_a").email]
    )
    assert str(soon_a.peer) in mail_a.body and soon_a.end.strftime("%d/%m/%Y") in mail_a.body
    assert str(soon_b.peer) not in mail_a.body
    assert by_org[world.org_b.name].to == [world.user("coordinator_b").email]


def test_no_reminder_without_contracts_ending(world):
    ContractFactory(peer=world.peer("peer_a"), kind="cdi")
    assert send_contract_reminders.call() == 0
    assert mail.outbox == []


def test_salary_grids_show_the_example_grid(world):
    response = world.client("coordinator_a").get(reverse("workforce:salary_grids"))
    assert "grille d'exemple" in response.content.decode()
    assert "Échelon 1" in response.content.decode()
