"""The generated demo looks like a real service: ``entrepairs.demo.invariants`` holds over
the demo built from the real reference files, at the scale of ``make run`` and a larger one,
and each rule does catch the implausibility it is about."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from entrepairs.accompaniment.models import Consent, Encounter, Person, Referral
from entrepairs.demo import context
from entrepairs.demo.invariants import violations
from entrepairs.evaluation.models import AnonymousResponse
from entrepairs.programmes.models import Programme, Status
from entrepairs.territory.demo import commune_places
from entrepairs.territory.models import Commune, Sector
from entrepairs.workforce.models import Contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory():
    call_command("import_territory", verbosity=0)
    call_command("import_sae", verbosity=0)


def _demo(scale, seed):
    call_command("demo", scale=scale, seed=seed, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_small_demo_is_plausible(territory):
    _demo("small", 1)
    assert violations() == []
    statuses = [p.status_on(timezone.localdate()) for p in Programme.objects.all()]
    assert sorted(statuses) == sorted(Status.values)  # three establishments, three statuses


def test_larger_demo_is_plausible(territory, monkeypatch):
    larger = context.Scale("larger", 10, 5, 10, 8, 2)
    monkeypatch.setitem(context.SCALES, "larger", larger)
    _demo("larger", 7)
    assert violations() == []
    statuses = [p.status_on(timezone.localdate()) for p in Programme.objects.all()]
    assert len(statuses) == 10
    assert statuses.count(Status.EXPERIMENTAL) == 4  # 40 %, as the source document says


def _referral_before_its_accompaniment():
    referral = Referral.objects.select_related("person").first()
    start = referral.person.accompaniments.order_by("start").first().start
    Referral.objects.filter(pk=referral.pk).update(date=start - datetime.timedelta(days=3))


def _long_cancelled_encounter_with_a_note():
    encounter = Encounter.objects.filter(outcome="held").first()
    Encounter.objects.filter(pk=encounter.pk).update(
        outcome="cancelled", duration_minutes=90, note="A parlé de sa semaine."
    )


def _consent_recorded_in_the_future():
    Consent.objects.filter(pk=Consent.objects.first().pk).update(
        recorded_at=timezone.now() + datetime.timedelta(hours=2)
    )


def _female_name_with_gender_man():
    Person.objects.filter(pk=Person.objects.first().pk).update(alias="Adélaïde B.", gender="M")


def _commune_of_another_arrondissement():
    sector = Sector.objects.filter(is_demo=True).first()
    places = commune_places()
    mine = {places[c.code][0] for c in sector.communes.all()}
    stranger = next(
        c
        for c in Commune.objects.filter(
            department=sector.organisation.department, sectors__isnull=True
        )
        if places.get(c.code, ("",))[0] not in mine
    )
    sector.communes.add(stranger)


def _peer_hired_before_the_programme():
    programme = Programme.objects.first()
    contract = Contract.objects.filter(peer__host_organisation=programme.organisation).first()
    Contract.objects.filter(pk=contract.pk).update(
        start=programme.started_on - datetime.timedelta(days=30)
    )


def _answer_month_to_come():
    answer = AnonymousResponse.objects.first()
    next_year = timezone.localdate().replace(day=1, year=timezone.localdate().year + 1)
    AnonymousResponse.objects.filter(pk=answer.pk).update(month=next_year)


BREAKERS = [
    (_referral_before_its_accompaniment, "check_referrals_within_accompaniment"),
    (_long_cancelled_encounter_with_a_note, "check_encounters"),
    (_consent_recorded_in_the_future, "check_consents_not_in_future"),
    (_female_name_with_gender_man, "check_names_match_gender"),
    (_commune_of_another_arrondissement, "check_sectors_are_neighbourhoods"),
    (_peer_hired_before_the_programme, "check_programmes"),
    (_answer_month_to_come, "check_answers"),
]


def test_each_rule_catches_its_implausibility(territory):
    """One demo, broken one way at a time (in a savepoint, rolled back): the rule about it
    reports it. Building the demo once keeps the test short."""
    _demo("small", 2)
    assert violations() == []
    missed = []
    for break_it, rule in BREAKERS:
        with transaction.atomic():
            break_it()
            broken = {line.split(" : ")[0] for line in violations()}
            transaction.set_rollback(True)
        if rule not in broken:
            missed.append(f"{break_it.__name__}: {rule} ne l'a pas vu ({broken})")
    assert not missed
    assert violations() == []


def test_lille_is_never_served_by_an_establishment_of_another_arrondissement(territory):
    _demo("small", 1)
    places = commune_places()
    lille = Commune.objects.get(code="59350")
    for sector in Sector.objects.filter(communes=lille).select_related("organisation__commune"):
        assert places[sector.organisation.commune.code][0] == places["59350"][0]
