import pytest

from entrepairs.core.roles import Role
from entrepairs.demo.context import DemoContext
from entrepairs.groups import demo as groups_demo
from entrepairs.groups.models import Group, GroupSession
from entrepairs.institution import demo as institution_demo
from entrepairs.institution.models import InstitutionalActivity

from .factories import accompanied_person

pytestmark = pytest.mark.django_db


def context(world):
    ctx = DemoContext.make("small", 7)
    ctx.organisations = [world.org_a]
    ctx.facilities = {world.org_a.pk: [world.facility_a]}
    ctx.peers = {world.org_a.pk: [world.peer("peer_a")]}
    ctx.memberships = {(world.org_a.pk, Role.PROFESSIONAL): [world.membership("professional_a")]}
    return ctx


def snapshot():
    return (
        list(Group.objects.order_by("pk").values_list("name", "kind", "usual_schedule")),
        list(
            GroupSession.objects.order_by("pk").values_list(
                "date", "duration_minutes", "headcount", "theme"
            )
        ),
        list(
            InstitutionalActivity.objects.order_by("pk").values_list(
                "kind", "instance", "date", "duration_minutes", "audience_nurses"
            )
        ),
    )


def test_demo_generators_are_deterministic_and_valid(world):
    accompanied_person(world, alias="Nommable")
    ctx = context(world)
    groups_demo.generate(ctx)
    institution_demo.generate(ctx)
    first = snapshot()
    groups = Group.objects.all()
    assert groups.count() == ctx.scale.groups_per_establishment
    # Weekly over a year, a few skipped: between 40 and 53 sessions per group.
    for group in groups:
        assert 40 <= group.sessions.count() <= 53
        assert group.peer_facilitators.exists()
    assert all(s.headcount >= s.attendees.count() for s in GroupSession.objects.all())
    activities = InstitutionalActivity.objects.all()
    assert 4 <= activities.count() <= 12  # 1 to 3 per quarter for the one peer
    for activity in activities:
        activity.full_clean()
    assert ctx.created["séances de groupe"] == GroupSession.objects.count()

    GroupSession.objects.all().delete()
    Group.objects.all().delete()
    InstitutionalActivity.objects.all().delete()
    ctx = context(world)
    groups_demo.generate(ctx)
    institution_demo.generate(ctx)
    assert snapshot() == first
