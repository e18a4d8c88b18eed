import pytest
from django.utils import timezone

from entrepairs.demo.context import DemoContext
from entrepairs.territory.models import Organisation
from entrepairs.workforce import demo
from entrepairs.workforce.models import (
    Contract,
    Mentoring,
    MissionCharter,
    PeerWorker,
    SupervisionSession,
)
from entrepairs.workforce.models.practice import (
    supervision_overdue_since,
    with_supervision_status,
)
from tests.factories import FacilityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def make_context():
    ctx = DemoContext.make("small", seed=3)
    ctx.association = OrganisationFactory(kind=Organisation.Kind.ASSOCIATION)
    for _n in range(2):
        org = OrganisationFactory()
        ctx.organisations.append(org)
        ctx.facilities[org.pk] = [FacilityFactory(organisation=org) for _ in range(3)]
    return ctx


def test_demo_generates_a_varied_workforce():
    ctx = make_context()
    demo.generate(ctx)
    assert PeerWorker.objects.count() == 2 * ctx.scale.peers_per_establishment
    assert Contract.objects.ending_within().exists()
    assert (
        Contract.objects.precarious().exists()
        and Contract.objects.exclude(Contract.precarious_q()).exists()
    )
    charters = MissionCharter.objects.all()
    assert charters.filter(fully_signed_at__isnull=False).exists()
    assert charters.filter(fully_signed_at__isnull=True).exists()
    assert all(c.signatures.count() == 3 for c in charters.filter(fully_signed_at__isnull=False))
    assert SupervisionSession.objects.exists() and Mentoring.objects.active().exists()
    peers = with_supervision_status(PeerWorker.objects.all())
    today = timezone.localdate()
    assert any(supervision_overdue_since(p, today) for p in peers)
    # No contract overlaps another with the same employer.
    for contract in Contract.objects.all():
        assert not contract.overlapping().exists()
