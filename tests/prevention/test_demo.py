from entrepairs.demo.context import DemoContext
from entrepairs.evaluation.models import HospitalStay
from entrepairs.prevention import demo
from entrepairs.prevention.models import PlanVersion, PreventionPlan, Recipient
from tests.accompaniment.factories import make_person


def run(world, seed):
    ctx = DemoContext.make("small", seed)
    ctx.organisations = [world.org_a]
    demo.generate(ctx)
    return ctx


def test_demo_holds_plans_at_every_stage_encrypted_and_deterministic(world):
    for _ in range(40):
        make_person(world)
    ctx = run(world, 3)
    plans = list(PreventionPlan.objects.all())
    assert len(plans) == 24  # 60 % of the 40 persons
    stages = {
        "draft": lambda p: p.draft and not p.latest_signed,
        "in_force": lambda p: p.in_force and not p.draft,
        "replaced": lambda p: len([v for v in p.versions_list() if v.is_signed]) == 2,
        "revoked": lambda p: p.latest_signed and p.latest_signed.is_revoked,
        "new_draft": lambda p: p.in_force and p.draft,
    }
    for stage, test in stages.items():
        assert any(test(p) for p in plans), stage
    signed = PlanVersion.objects.signed().first()
    assert "Marcher" not in signed.content and signed.sections()["card_contact_name"] == "Ma sœur"
    assert Recipient.objects.filter(withdrawn_at__isnull=False).exists()
    assert HospitalStay.objects.exclude(legal_mode="SL").exists()
    assert ctx.created["plans de prévention partagés"] == 24
    first = sorted(PlanVersion.objects.values_list("plan__person_id", "number", "signed_at"))
    PreventionPlan.objects.all().delete()
    HospitalStay.objects.all().delete()
    run(world, 3)
    again = sorted(PlanVersion.objects.values_list("plan__person_id", "number", "signed_at"))
    assert again == first
