import pytest
from django.db.models import Count

from entrepairs.accompaniment import demo
from entrepairs.accompaniment.models import (
    Accompaniment,
    ConsentPurpose,
    Encounter,
    Person,
    RecoveryPlan,
    Referral,
    Resource,
)
from entrepairs.demo.context import DemoContext

pytestmark = pytest.mark.django_db


def run_demo(world, seed=3):
    ctx = DemoContext.make("small", seed)
    ctx.organisations = [world.org_a, world.org_b]
    ctx.facilities = {world.org_a.pk: [world.facility_a], world.org_b.pk: [world.facility_b]}
    ctx.peers = {world.org_a.pk: [world.peer("peer_a")], world.org_b.pk: [world.peer("peer_b")]}
    demo.generate(ctx)
    return ctx


def test_small_demo_volumes_and_consistency(world):
    ctx = run_demo(world)
    per_peer = ctx.scale.persons_per_peer
    assert Person.objects.count() == 2 * per_peer
    assert ctx.created["personnes accompagnées"] == 2 * per_peer
    assert Accompaniment.objects.count() == 2 * per_peer
    # Every person is accompanied by their org's peer and every encounter lies in its episode.
    peer_a = world.membership("peer_a")
    assert Person.objects.visible_to(peer_a).count() == per_peer
    for encounter in Encounter.objects.select_related("accompaniment"):
        a = encounter.accompaniment
        assert a.start <= encounter.date <= (a.end or encounter.date)
        assert 0 < encounter.duration_minutes <= 720
        if encounter.note_visibility == "team":
            assert (
                a.person.has_consent(ConsentPurpose.TEAM_SHARING)
                or a.person.consents.filter(
                    purpose=ConsentPurpose.TEAM_SHARING, given=True
                ).exists()
            )
    counts = Person.objects.annotate(n=Count("accompaniments__encounters"))
    assert sum(p.n for p in counts) == Encounter.objects.count() >= 2 * per_peer
    assert all(p.last_activity_on for p in Person.objects.all())
    assert Resource.objects.filter(organisation=world.org_a).count() >= 10
    assert Resource.objects.filter(kind="gem").exists()
    assert Referral.objects.count() == ctx.created["orientations"]
    assert RecoveryPlan.objects.count() == ctx.created.get("plans de rétablissement", 0)


def test_demo_is_deterministic(world):
    run_demo(world, seed=5)
    first = list(Person.objects.order_by("pk").values_list("alias", "birth_year"))
    Person.objects.all().delete()
    Referral.objects.all().delete()
    Resource.objects.all().delete()
    run_demo(world, seed=5)
    assert list(Person.objects.order_by("pk").values_list("alias", "birth_year")) == first
