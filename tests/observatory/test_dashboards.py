"""Regional and national dashboards: figures from a hand-built dataset, small-cell suppression,
roles, constant query counts."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Accompaniment, Encounter, Person
from entrepairs.core.models import AccessEvent
from entrepairs.observatory.periods import Period
from entrepairs.observatory.publishing import publish
from entrepairs.territory.models import Organisation
from entrepairs.workforce.models import PeerWorker
from entrepairs.workforce.models.contracts import Contract
from tests.factories import DepartmentFactory, OrganisationFactory, PeerWorkerFactory, RegionFactory
from tests.groups.factories import GroupFactory, GroupSessionFactory
from tests.institution.factories import ActivityFactory
from tests.utils import assert_constant_queries

pytestmark = pytest.mark.django_db

REGIONAL = reverse("observatory:regional")
NATIONAL = reverse("observatory:national")
CMP = Accompaniment.Setting.CMP
HOME = Accompaniment.Setting.HOME
SETTINGS = [code for code, _label in Accompaniment.Setting.choices]
# The figures are published for fixed calendar periods that have ended: the dataset lives in
# the middle of last year, whose publication the pages read.
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


def see(client, url):
    """Publish, then read ``url``."""
    publish_dashboards()
    return client.get(url)


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


@pytest.fixture
def dataset(world):
    """org_a: 3 persons in CMP, 20 at home; org_b: 15 in CMP, 12 at home (region 32)."""
    accompany(world, world.org_a, CMP, 3)
    home_a = accompany(world, world.org_a, HOME, 20)
    accompany(world, world.org_b, CMP, 15)
    accompany(world, world.org_b, HOME, 12)
    # Not counted: older than 12 months, missed encounters.
    accompany(world, world.org_a, CMP, 2, days_ago=400)
    accompany(world, world.org_a, CMP, 2, outcome=Encounter.Outcome.MISSED)
    # A second encounter of an accompanied person: one more encounter, no more person.
    Encounter.objects.create(
        accompaniment=home_a[0].accompaniments.get(),
        peer=world.peer("peer_a"),
        date=TODAY - datetime.timedelta(days=3),
        duration_minutes=30,
        mode=Encounter.Mode.PHONE,
    )
    # Anonymised persons still count.
    Person.objects.filter(pk=home_a[1].pk).update(anonymised_at=timezone.now())
    # Peers: peer_a and peer_b in post; one more hosted by org_a (employed by an association
    # of another region), one who left org_b.
    association = other_region_org("Association Île", "750000002")
    association.kind = Organisation.Kind.ASSOCIATION
    association.save()
    PeerWorkerFactory(employer=association, host_organisation=world.org_a)
    PeerWorkerFactory(employer=world.org_b, status=PeerWorker.Status.LEFT)
    GroupSessionFactory.create_batch(2, group=GroupFactory(organisation=world.org_a), date=TODAY)
    GroupSessionFactory(
        group=GroupFactory(organisation=world.org_b), date=TODAY - datetime.timedelta(days=500)
    )
    ActivityFactory.create_batch(3, organisation=world.org_b, date=TODAY)
    return world


def rows_by_label(response):
    return {row.label: row for row in response.context["dashboard"].rows}


def test_regional_figures_and_suppression(dataset):
    world = dataset
    response = see(world.client("regional_observer"), REGIONAL)
    assert response.status_code == 200
    rows = rows_by_label(response)
    assert set(rows) == {"EPSM Alpha", "CH Bêta"}  # not the ARS, not the other region
    a, b = rows["EPSM Alpha"], rows["CH Bêta"]
    assert (a.peers_in_post, b.peers_in_post) == (2, 1)
    # Shown figures are the true ones; the protection of the whole system (levels, settings,
    # quarters and year together) may hide more than a single table would.
    assert a.persons in (23, None) and b.persons in (27, None)
    assert a.encounters in (24, None) and b.encounters in (27, None)
    assert (a.group_sessions, b.group_sessions) == (2, 0)
    assert (a.activities, b.activities) == (0, 3)
    # 3 persons in CMP at org_a: hidden (primary), and so is at least one figure of its row
    # and of its column (secondary), or it would be given back.
    cmp, home = SETTINGS.index(CMP), SETTINGS.index(HOME)
    assert a.persons_by_setting[cmp] is None
    assert a.persons_by_setting[home] is None or a.persons is None
    assert b.persons_by_setting[cmp] is None
    for row in (a, b):
        for value in (row.persons, row.encounters, *row.persons_by_setting):
            assert value is None or value == 0 or value >= 11
    assert a.persons_by_setting[SETTINGS.index(Accompaniment.Setting.DAY_HOSPITAL)] in (0, None)
    dashboard = response.context["dashboard"]
    assert dashboard.persons_by_setting_totals[cmp] in (18, None)
    assert dashboard.persons_by_setting_totals[home] in (32, None)
    assert dashboard.totals["persons"] in (50, None)
    page = html.unescape(response.content.decode())
    assert "< 11" in page
    assert "secret statistique" in page
    assert 'data-suppressed="1"' in page
    assert "<caption>" in page and 'scope="row"' in page
    assert "P0" not in page  # never a person


def test_shown_cells_once_above_threshold(world):
    accompany(world, world.org_a, CMP, 11)
    accompany(world, world.org_b, CMP, 12)
    response = see(world.client("regional_observer"), REGIONAL)
    rows = rows_by_label(response)
    assert rows["EPSM Alpha"].persons_by_setting[SETTINGS.index(CMP)] == 11
    assert rows["CH Bêta"].persons_by_setting[SETTINGS.index(CMP)] == 12
    assert 'data-suppressed="1"' not in response.content.decode()


def test_small_encounter_counts_are_hidden(world):
    accompany(world, world.org_a, CMP, 3)
    response = see(world.client("regional_observer"), REGIONAL)
    row = rows_by_label(response)["EPSM Alpha"]
    assert row.persons is None
    assert row.encounters is None
    assert response.context["dashboard"].totals["persons"] is None


def test_regional_observer_cannot_choose_another_region(dataset):
    accompany(dataset, other_region_org(), CMP, 30)
    response = see(dataset.client("regional_observer"), REGIONAL + "?region=11")
    assert set(rows_by_label(response)) == {"EPSM Alpha", "CH Bêta"}


def test_national_observer_chooses_a_region(dataset):
    client = dataset.client("national_observer")
    response = see(client, REGIONAL)
    assert response.context["dashboard"] is None
    assert "Choisissez une région" in html.unescape(response.content.decode())
    response = see(client, REGIONAL + "?region=32")
    assert rows_by_label(response)["EPSM Alpha"].persons in (23, None)
    assert response.context["dashboard"].totals["persons"] in (50, None)


def test_unknown_region_code_has_a_french_message(world):
    response = see(world.client("national_observer"), REGIONAL + "?region=<b>99</b>")
    assert response.status_code == 200
    assert response.context["dashboard"] is None
    page = html.unescape(response.content.decode())
    assert "n'est pas un code de région connu" in page
    assert "<b>99</b>" not in response.content.decode()


def test_national_rows_are_regions(dataset):
    accompany(dataset, other_region_org(), CMP, 4)
    response = see(dataset.client("national_observer"), NATIONAL)
    assert response.status_code == 200
    rows = {row.label: row for row in response.context["dashboard"].rows}
    hdf = next(row for label, row in rows.items() if label.endswith("(32)"))
    idf = next(row for label, row in rows.items() if label.endswith("(11)"))
    assert hdf.peers_in_post == 3
    assert idf.peers_in_post == 0  # the hosted peer works in region 32
    assert hdf.group_sessions == 2 and hdf.activities == 3
    # 4 persons in Île-de-France: hidden, and so is Hauts-de-France's CMP cell (secondary).
    assert idf.persons is None
    assert idf.persons_by_setting[SETTINGS.index(CMP)] is None
    assert hdf.persons_by_setting[SETTINGS.index(CMP)] is None
    assert response.context["dashboard"].totals["persons"] in (54, None)


@pytest.mark.parametrize(
    "persona", ["peer_a", "professional_a", "coordinator_a", "director_a", "admin"]
)
def test_other_roles_are_refused(world, persona):
    assert see(world.client(persona), REGIONAL).status_code == 403
    assert see(world.client(persona), NATIONAL).status_code == 403


def test_regional_observer_has_no_national_dashboard(world):
    assert see(world.client("regional_observer"), NATIONAL).status_code == 403


def test_aggregates_write_no_access_event(dataset):
    before = AccessEvent.objects.count()
    see(dataset.client("regional_observer"), REGIONAL)
    see(dataset.client("national_observer"), NATIONAL)
    assert AccessEvent.objects.count() == before


def test_navigation_entries(world):
    page = see(world.client("national_observer"), REGIONAL).content.decode()
    assert REGIONAL in page and NATIONAL in page
    page = see(world.client("regional_observer"), REGIONAL).content.decode()
    assert REGIONAL in page and NATIONAL not in page


def add_establishments(world):
    counter = {"n": 0}

    def add(n):
        for _ in range(n):
            counter["n"] += 1
            org = OrganisationFactory(name=f"CH {counter['n']}")
            accompany(world, org, CMP, 1)
            PeerWorkerFactory(employer=org)
            GroupSessionFactory(group=GroupFactory(organisation=org))
            ActivityFactory(organisation=org)

    return add


def test_regional_constant_queries(world):
    assert_constant_queries(
        world.client("regional_observer"), REGIONAL, add_establishments(world), small=2, large=8
    )


def test_national_constant_queries(world):
    counter = {"n": 0}

    def add_regions(n):
        for _ in range(n):
            counter["n"] += 1
            code = f"9{counter['n']}"
            department = DepartmentFactory(
                code=code,
                name=f"Dép {code}",
                region=RegionFactory(code=code, name=f"Région {code}"),
            )
            org = OrganisationFactory(name=f"CH {code}", department=department)
            accompany(world, org, HOME, 2)

    assert_constant_queries(
        world.client("national_observer"), NATIONAL, add_regions, small=2, large=6
    )


def test_peers_chart_has_its_data(dataset):
    response = see(dataset.client("regional_observer"), REGIONAL)
    chart = str(response.context["chart"])
    assert 'role="img"' in chart
    assert "EPSM Alpha : 2" in html.unescape(chart)
    assert 'id="activity-table"' in response.content.decode()
