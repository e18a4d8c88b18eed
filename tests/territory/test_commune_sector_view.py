"""The public page "Quel secteur pour cette commune ?"."""

import pytest
from django.test import Client
from django.urls import reverse

from entrepairs.territory.models import Commune
from tests.factories import CommuneFactory, DepartmentFactory, FacilityFactory, SectorFactory
from tests.utils import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = reverse("territory:commune_sector")


def search(query, client=None):
    response = (client or Client()).get(URL, {"q": query})
    assert response.status_code == 200
    return response


def names(response):
    return [commune.name for commune in response.context["communes"]]


@pytest.fixture
def lille():
    commune = CommuneFactory(code="59350", name="Lille", population_total=240109)
    sector = SectorFactory(code="59G21", discipline="GEN")
    sector.communes.add(commune)
    FacilityFactory(name="CMP Wazemmes", organisation=sector.organisation, sector=sector)
    return commune


def test_search_by_name_shows_sectors_and_facilities(lille):
    CommuneFactory(code="59360", name="Lillebonne-Nord")
    CommuneFactory(code="59009", name="Villeneuve-d'Ascq")
    response = search("lille")
    assert names(response) == ["Lille", "Lillebonne-Nord"]  # the exact name first
    html = response.content.decode()
    assert "Lille (59350)" in html
    assert "59G21" in html
    assert "CMP Wazemmes" in html
    assert "240" in html and "109" in html  # population shown
    assert "donnée de démonstration" not in html


def test_search_ignores_accents_hyphens_and_abbreviations():
    CommuneFactory(code="42218", name="Saint-Étienne", department=DepartmentFactory(code="42"))
    CommuneFactory(code="38442", name="Saint-Égrève", department=DepartmentFactory(code="38"))
    assert names(search("saint etienne")) == ["Saint-Étienne"]
    assert names(search("St-Étienne")) == ["Saint-Étienne"]
    assert names(search("SAINT-ETIENNE")) == ["Saint-Étienne"]


def test_search_by_insee_code(lille):
    assert names(search("59350")) == ["Lille"]


@pytest.mark.parametrize("query", ["2A004", "2a004", "2A"])
def test_search_by_corsican_insee_code(query):
    corse = DepartmentFactory(code="2A", name="Corse-du-Sud")
    CommuneFactory(code="2A004", name="Ajaccio", department=corse)
    CommuneFactory(code="2B033", name="Bastia", department=DepartmentFactory(code="2B"))
    assert names(search(query)) == ["Ajaccio"]


def test_arrondissements_are_found_but_not_delegated_communes():
    paris = DepartmentFactory(code="75", name="Paris")
    CommuneFactory(code="75112", name="Paris 12e Arrondissement", kind="ARM", department=paris)
    CommuneFactory(code="59355", name="Lomme", kind="COMA")
    assert names(search("paris 12")) == ["Paris 12e Arrondissement"]
    assert names(search("lomme")) == []


@pytest.mark.parametrize("query", ["a", " b ", ""])
def test_too_short_query_explains_in_french(query):
    CommuneFactory(name="Ay")
    response = search(query)
    assert response.context["communes"] == []
    assert "Saisissez au moins 2 caractères" in response.content.decode()


def test_no_query_shows_only_the_form():
    response = Client().get(URL)
    assert response.status_code == 200
    assert response.context["error"] is None
    assert 'id="search-error"' not in response.content.decode()


def test_no_result(lille):
    html = search("Atlantide").content.decode()
    assert "Aucune commune ne correspond à « Atlantide »" in html
    assert 'id="search-error"' in html
    assert 'aria-describedby="q-hint search-error"' in html


def test_no_result_for_a_postal_code_explains_the_difference(lille):
    html = search("59000").content.decode()
    assert "diffère souvent de son code postal" in html


def test_commune_without_sector(db):
    CommuneFactory(code="59001", name="Abancourt")
    html = search("abancourt").content.decode()
    assert "Aucun secteur enregistré pour cette commune" in html


def test_demo_sectors_carry_a_badge(lille):
    demo = SectorFactory(code="59G99D", discipline="INF", is_demo=True)
    demo.communes.add(lille)
    html = search("Lille").content.decode()
    assert html.count("donnée de démonstration") == 1
    assert "59G99D" in html


def test_results_are_capped_and_say_so():
    for n in range(25):
        CommuneFactory(code=f"59{n:03d}", name=f"Marcq {n:02d}")
    response = search("marcq")
    assert len(response.context["communes"]) == 20
    assert "Plus de 20 communes correspondent" in response.content.decode()


def test_html_is_escaped():
    html = search("<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_constant_queries_with_more_communes_sectors_and_facilities(db):
    department = DepartmentFactory()

    def add_rows(n):
        for _ in range(n):
            commune = CommuneFactory(name=f"Hem {Commune.objects.count()}", department=department)
            sector = SectorFactory()
            sector.communes.add(commune)
            FacilityFactory(sector=sector, organisation=sector.organisation)

    assert_constant_queries(Client(), f"{URL}?q=hem", add_rows, small=5, large=50)


def test_constant_queries_with_more_sectors_serving_one_commune(lille):
    def add_rows(n):
        for _ in range(n):
            sector = SectorFactory()
            sector.communes.add(lille)
            FacilityFactory(sector=sector, organisation=sector.organisation)

    assert_constant_queries(Client(), f"{URL}?q=59350", add_rows, small=5, large=50)


def test_logged_in_persona_sees_the_same_page(world):
    client = world.client("peer_a")
    html = search("lille", client).content.decode()
    assert world.facility_a.name in html
