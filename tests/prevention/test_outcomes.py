"""Outcomes: stays by legal mode, before / after the first signed plan, shares, and the
small-number rule."""

import datetime

import pytest
from django.utils import timezone

from entrepairs.evaluation.models import HospitalStay
from entrepairs.observatory import computation
from entrepairs.observatory.periods import Period
from entrepairs.prevention.models import CrisisRecord
from entrepairs.prevention.outcomes import around_first_plan, stays_by_mode
from tests.accompaniment.factories import body, make_person

from .factories import SECRET, signed_on

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = datetime.timedelta


def stay(person, admission, days, mode):
    return HospitalStay.objects.create(
        organisation=person.organisation,
        person=person,
        admission=admission,
        discharge=admission + D(days=days),
        legal_mode=mode,
    )


def cohort(world, n, *, org="a", signed_days_ago=500):
    """``n`` consenting persons, each with a plan signed ``signed_days_ago`` days ago, one SDT
    stay of 20 days before it and one free stay of 5 days after it."""
    persons = []
    for _ in range(n):
        person = make_person(world, org, start=TODAY - D(days=900))
        first = TODAY - D(days=signed_days_ago)
        signed_on(person, first)
        stay(person, first - D(days=100), 20, "SDT")
        stay(person, first + D(days=100), 5, "SL")
        persons.append(person)
    return persons


def test_stays_by_mode(world):
    persons = cohort(world, 2, signed_days_ago=120)
    rows = {r["mode"]: r for r in stays_by_mode([world.org_a.pk], TODAY - D(days=365), TODAY)}
    assert rows["SDT"]["admissions"] == 2 and rows["SDT"]["days"] == 40
    assert rows["SL"]["admissions"] == 2 and rows["SL"]["days"] == 10
    assert rows["SDT"]["compulsory"] and not rows["SL"]["compulsory"]
    assert rows["SDT"]["small"] and rows["SDRE"]["n"] == 0
    # Without the evaluation consent, a person counts nowhere.
    persons[0].consents.create(purpose="evaluation", given=False, means="oral")
    rows = {r["mode"]: r for r in stays_by_mode([world.org_a.pk], TODAY - D(days=365), TODAY)}
    assert rows["SDT"]["admissions"] == 1


def test_before_and_after_the_first_signed_plan(world):
    cohort(world, 12)
    result = around_first_plan([world.org_a.pk], TODAY - D(days=800), TODAY, TODAY)
    assert result["n"] == 12 and not result["small"]
    assert result["admissions"]["mean_before"] == 1 and result["admissions"]["mean_after"] == 0
    assert result["days"]["mean_before"] == 20 and result["days"]["mean_after"] == 0
    assert result["with_admission_before"] == 12 and result["with_admission_after"] == 0
    # A plan signed less than a year ago has no complete "after" year yet.
    recent = around_first_plan([world.org_a.pk], TODAY - D(days=200), TODAY, TODAY)
    assert recent["n"] == 0


def _period_of(day):
    return Period.quarter(day.year, (day.month - 1) // 3 + 1)


def test_plans_in_force_crisis_use_and_wishes(world):
    persons = cohort(world, 3, signed_days_ago=200)
    make_person(world)  # accompanied, no plan
    org = world.org_a.pk
    today = _period_of(TODAY)
    in_force = computation.prevention_plans_in_force(today)
    assert (in_force[(org, "avec_plan")].value, in_force[(org, "sans_plan")].value) == (3, 1)
    plan = persons[0].prevention_plan
    admission = TODAY - D(days=100)
    CrisisRecord.objects.create(
        plan=plan, version=plan.in_force, crisis_on=admission - D(days=2), respected="fully"
    )
    CrisisRecord.objects.create(
        plan=plan, version=plan.in_force, crisis_on=admission, respected="not"
    )
    # 3 free stays while the plan was in force (one per person), one of them consulted.
    consulted = computation.plan_consulted_at_admission(_period_of(TODAY - D(days=100)))
    assert consulted[(org, "consulte")].value == 1
    assert consulted[(org, "non_consulte")].value == 2
    wishes = computation.wishes_respected(_period_of(admission))
    counts = {b: v.value for (o, b), v in wishes.items() if o == org}
    assert counts.get("fully", 0) + counts.get("not", 0) == 2


def test_a_revoked_plan_is_not_in_force_at_a_later_admission(world):
    person = make_person(world, start=TODAY - D(days=900))
    signed_on(person, TODAY - D(days=300), revoked_on=TODAY - D(days=250))
    stay(person, TODAY - D(days=100), 3, "SL")
    consulted = computation.plan_consulted_at_admission(_period_of(TODAY - D(days=100)))
    assert not consulted
    in_force = computation.prevention_plans_in_force(_period_of(TODAY))
    assert (world.org_a.pk, "avec_plan") not in in_force


def test_without_the_evaluation_consent_a_person_counts_nowhere(world):
    persons = cohort(world, 2, signed_days_ago=500)
    persons[0].consents.create(purpose="evaluation", given=False, means="oral")
    period = _period_of(TODAY - D(days=500))
    around = computation.compulsory_days_around_plan(period)
    assert around[(world.org_a.pk, "")].denominator == 1
    in_force = computation.prevention_plans_in_force(_period_of(TODAY))
    assert in_force[(world.org_a.pk, "avec_plan")].value == 1


def test_the_page_inside_and_outside(world):
    cohort(world, 4, signed_days_ago=200)
    inside = body(world.client("coordinator_a").get("/plan-prevention/resultats/"))
    assert "effectif trop faible" in inside and "Soins à la demande d'un tiers" in inside
    assert "non protégés" in inside
    assert SECRET not in inside
    # Outside the records: only the publication, here none yet, and no live table at all.
    outside = body(world.client("regional_observer").get("/plan-prevention/resultats/"))
    assert "Aucune période n'est encore publiée" in outside
    assert "Soins à la demande d'un tiers" not in outside
    director = body(world.client("director_a").get("/plan-prevention/resultats/"))
    assert "Aucune période n'est encore publiée" in director
