import datetime

from entrepairs.demo.context import DemoContext
from entrepairs.evaluation import demo
from entrepairs.evaluation.models import AnonymousResponse, Campaign, LinkedResponse

from .factories import consenting_person


def test_demo_generates_campaigns_and_answers_deterministically(world):
    for _ in range(3):
        consenting_person(world, start=datetime.date.today() - datetime.timedelta(days=300))

    def run(seed):
        ctx = DemoContext.make("small", seed)
        ctx.organisations = [world.org_a]
        ctx.facilities = {world.org_a.pk: [world.facility_a]}
        demo.generate(ctx)
        return sorted(str(sorted(r.answers.items())) for r in AnonymousResponse.objects.all())

    first = run(7)
    assert Campaign.objects.count() == 4
    assert AnonymousResponse.objects.filter(
        instrument_version__instrument__code="climat-equipe"
    ).exists()
    assert all(r.month.day == 1 for r in AnonymousResponse.objects.all())
    assert LinkedResponse.objects.filter(timepoint="start").count() == 3
    assert LinkedResponse.objects.filter(timepoint="months").count() == 3
    AnonymousResponse.objects.all().delete()
    LinkedResponse.objects.all().delete()
    Campaign.objects.all().delete()
    assert run(7) == first
