"""Raw activity of persons accompanied, for tests that read the records (the API's figures)."""

import datetime

from django.utils import timezone

from entrepairs.accompaniment.models import Accompaniment, Encounter, Person
from tests.factories import DepartmentFactory, OrganisationFactory, RegionFactory

CMP = Accompaniment.Setting.CMP
HOME = Accompaniment.Setting.HOME
SETTINGS = [code for code, _label in Accompaniment.Setting.choices]


def accompany(world, org, setting, n, *, days_ago=10, outcome=Encounter.Outcome.HELD, **person):
    """``n`` persons of ``org``, each with one encounter in ``setting``; returns the persons."""
    today = timezone.localdate()
    peer = world.peer("peer_a")
    persons = []
    for i in range(n):
        p = Person.objects.create(organisation=org, alias=f"P{i}", birth_year=1980, **person)
        acc = Accompaniment.objects.create(
            person=p, setting=setting, start=today - datetime.timedelta(days=400)
        )
        Encounter.objects.create(
            accompaniment=acc,
            peer=peer,
            date=today - datetime.timedelta(days=days_ago),
            duration_minutes=30,
            mode=Encounter.Mode.IN_PERSON,
            outcome=outcome,
        )
        persons.append(p)
    return persons


def other_region_org(name="EPS Île", finess="750000001"):
    department = DepartmentFactory(code="75", name="Paris", region=RegionFactory(code="11"))
    return OrganisationFactory(name=name, finess_et=finess, department=department)
