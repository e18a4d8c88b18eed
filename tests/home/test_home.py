import pytest
from django.urls import reverse

from entrepairs.territory.models import ContextFigures
from entrepairs.workforce.models import PeerWorker
from tests.factories import PeerWorkerFactory


@pytest.fixture
def figures(world):
    ContextFigures.objects.create(
        organisation=world.org_a,
        year=2022,
        discipline="GEN",
        sectors=4,
        cmp_count=13,
        active_file=11422,
        full_time_beds=None,
    )
    ContextFigures.objects.create(
        organisation=world.org_b,
        year=2022,
        discipline="GEN",
        sectors=3,
        cmp_count=2,
        active_file=1000,
    )


def test_coordinator_home_counts_only_their_organisation(world, figures):
    PeerWorkerFactory(employer=world.org_a, status=PeerWorker.Status.TRAINING)
    PeerWorkerFactory(employer=world.org_b, status=PeerWorker.Status.TRAINING)
    response = world.client("coordinator_a").get(reverse("home:home"))
    assert response.context["peer_counts"] == {"in_post": 1, "training": 1, "recruiting": 0}
    assert response.context["facility_count"] == 1
    assert response.context["sector_count"] == 1
    content = response.content.decode()
    assert "EPSM Alpha" in content and "coordinateur·rice" in content
    assert "non déclaré" in content  # empty SAE cell is not shown as zero


def test_regional_observer_sees_the_region_context(world, figures):
    response = world.client("regional_observer").get(reverse("home:home"))
    assert response.context["context"]["sectors"] == 7
    assert response.context["context"]["establishments"] == 2
    assert "Hauts-de-France" in response.content.decode()


def test_national_observer_sees_national_context(world, figures):
    response = world.client("national_observer").get(reverse("home:home"))
    assert response.context["context"]["cmps"] == 15


def test_peer_home_shows_their_deployment(world):
    response = world.client("peer_a").get(reverse("home:home"))
    assert "CMP Alpha" in response.content.decode()
    assert "80" in response.content.decode()


def test_every_page_says_in_which_organisation_and_role_you_act(world):
    for persona, org, role in [
        ("professional_a", "EPSM Alpha", "professionnel·le"),
        ("peer_b", "CH Bêta", "pair-aidant·e"),
        ("regional_observer", "ARS Hauts-de-France", "ARS"),
    ]:
        content = world.client(persona).get(reverse("home:home")).content.decode()
        assert org in content and role in content


def test_security_headers_and_csp_without_inline_script(world):
    response = world.client("anonymous").get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.content.decode()


def test_unknown_url_answers_404(world):
    assert world.client("coordinator_a").get("/nulle-part/").status_code == 404
