"""Raw activity of persons accompanied, published for the API's figures
(``observatory.dashboards`` reads the published tables)."""

import datetime

from django.utils import timezone

from entrepairs.accompaniment.models import Accompaniment, Encounter, Person
from entrepairs.observatory.periods import Period
from entrepairs.observatory.publishing import publish
from entrepairs.workforce.models import PeerWorker
from entrepairs.workforce.models.contracts import Contract
from tests.factories import DepartmentFactory, OrganisationFactory, RegionFactory

CMP = Accompaniment.Setting.CMP
HOME = Accompaniment.Setting.HOME
SETTINGS = [code for code, _label in Accompaniment.Setting.choices]
# Figures are published for ended calendar periods: the dataset lives in the middle of last
# year, whose publication is read.
TODAY = datetime.date(timezone.localdate().year - 1, 6, 30)
DASHBOARD_INDICATORS = [
    "pairs",
    "personnes_accompagnees",
    "rencontres_par_mode",
    "seances_groupe",
    "actions_institutionnelles",
]


def publish_dashboards():
    """Publish last year (contracts for the peers in post first)."""
    for peer in PeerWorker.objects.filter(status=PeerWorker.Status.IN_POST).exclude(
        contracts__start__year=2000
    ):
        Contract.objects.create(
            peer=peer,
            kind=Contract.Kind.CDI,
            employer=peer.employer,
            start=datetime.date(2000, 1, 1),
            fte="1.00",
            funding=Contract.Funding.ESTABLISHMENT,
        )
    publish(Period.year(TODAY.year), indicators=DASHBOARD_INDICATORS)


def accompany(world, org, setting, n, *, days_ago=10, outcome=Encounter.Outcome.HELD, **person):
    """``n`` persons of ``org``, each with one encounter in ``setting``; returns the persons."""
    peer = world.peer("peer_a")
    persons = []
    for i in range(n):
        p = Person.objects.create(organisation=org, alias=f"P{i}", birth_year=1980, **person)
        acc = Accompaniment.objects.create(
            person=p, setting=setting, start=TODAY - datetime.timedelta(days=400)
        )
        Encounter.objects.create(
            accompaniment=acc,
            peer=peer,
            date=TODAY - datetime.timedelta(days=days_ago),
            duration_minutes=30,
            mode=Encounter.Mode.IN_PERSON,
            outcome=outcome,
        )
        persons.append(p)
    return persons


def other_region_org(name="EPS Île", finess="750000001"):
    department = DepartmentFactory(code="75", name="Paris", region=RegionFactory(code="11"))
    return OrganisationFactory(name=name, finess_et=finess, department=department)
