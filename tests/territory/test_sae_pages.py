"""Pages show the latest SAE year imported, "non déclaré" for figures absent from a year's
form, and "à vérifier" for implausible values."""

import pytest
from django.urls import reverse

from entrepairs.territory.models import ContextFigures

pytestmark = pytest.mark.django_db


def add(org, year, **values):
    return ContextFigures.objects.create(organisation=org, year=year, discipline="GEN", **values)


def test_director_sees_the_latest_year_of_their_establishment(world):
    add(world.org_a, 2021, sectors=3, active_file=900)
    add(world.org_a, 2023, sectors=5, active_file=None, flags={"active_file": "not_in_form"})
    content = world.client("director_a").get(reverse("home:home")).content.decode()
    assert "Contexte de l'établissement (SAE 2023)" in content
    assert "SAE 2021" not in content
    assert "900" not in content  # 2021 figures are not shown beside 2023's
    assert "non déclaré" in content
    assert "DREES (SAE 2023)" in content  # sources line


def test_establishment_missing_from_the_latest_year_shows_its_own_latest(world):
    add(world.org_a, 2022, sectors=4)
    add(world.org_b, 2023, sectors=2)
    content = world.client("coordinator_a").get(reverse("home:home")).content.decode()
    assert "(SAE 2022)" in content


def test_implausible_value_is_shown_to_check(world):
    add(world.org_a, 2023, full_time_beds=5000, flags={"full_time_beds": "implausible"})
    content = world.client("director_a").get(reverse("home:home")).content.decode()
    assert "5000 (à vérifier)" in content


def test_observers_read_the_latest_year(world):
    add(world.org_a, 2022, sectors=4, cmp_count=10)
    add(world.org_a, 2023, sectors=6, cmp_count=12)
    add(world.org_b, 2023, sectors=1, cmp_count=3)
    national = world.client("national_observer").get(reverse("home:home"))
    assert national.context["sae_year"] == 2023
    assert national.context["context"]["cmps"] == 15
    assert "Psychiatrie générale, SAE 2023." in national.content.decode()
    regional = world.client("regional_observer").get(reverse("home:home"))
    assert "SAE 2023." in regional.content.decode()


def test_legal_page_names_the_latest_year(world, client):
    add(world.org_a, 2021, sectors=1)
    add(world.org_a, 2024, sectors=1)
    assert "DREES (SAE 2024)" in client.get(reverse("core:legal")).content.decode()
