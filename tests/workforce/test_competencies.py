import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from entrepairs.workforce.charts import radar_svg
from entrepairs.workforce.framework_loader import (
    DEFAULT_FRAMEWORK,
    FrameworkError,
    parse_framework,
)
from entrepairs.workforce.models import Assessment, Competency, CompetencyFramework
from tests.utils import last_access

from .factories import AssessmentFactory, MentoringFactory, default_framework

pytestmark = pytest.mark.django_db


def test_default_framework_is_shipped_with_four_levels_everywhere():
    framework = default_framework()
    competencies = Competency.objects.filter(domain__framework=framework)
    assert framework.domains.count() == 7
    assert competencies.count() == 14
    assert all(len(c.levels) == 4 for c in competencies)


def test_the_same_version_cannot_be_loaded_twice():
    with pytest.raises(CommandError, match="déjà chargée"):
        call_command("load_competency_framework", str(DEFAULT_FRAMEWORK))


def test_organisation_loads_its_own_version(world, tmp_path):
    text = DEFAULT_FRAMEWORK.read_text().replace("version: 1", "version: 2")
    path = tmp_path / "maison.yaml"
    path.write_text(text)
    call_command("load_competency_framework", str(path), "--organisation", str(world.org_a.pk))
    own = CompetencyFramework.objects.get(organisation=world.org_a)
    assert own.version == 2
    response = world.client("peer_b").get(reverse("workforce:framework_list"))
    assert own not in response.context["frameworks"]
    response = world.client("peer_a").get(reverse("workforce:framework_list"))
    assert own in response.context["frameworks"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("slug: x\nversion: 1\nname: X\ndomains: []\n", "domains : au moins 1"),
        ("- juste une liste", "type attendu : object"),
        ("slug: [", "n'est pas un YAML lisible"),
        (
            "slug: x\nversion: 1\nname: X\ndomains:\n  - code: A\n    name: A\n    competencies:\n"
            "      - code: A1\n        name: A1\n        levels: [un, deux, trois]\n",
            "exactement 4 niveaux",
        ),
    ],
)
def test_invalid_framework_files_get_french_errors(text, message):
    with pytest.raises(FrameworkError, match=message):
        parse_framework(text)


def test_command_refuses_unknown_organisation_and_file(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("load_competency_framework", str(tmp_path / "absent.yaml"))
    with pytest.raises(CommandError, match="Organisation introuvable"):
        call_command(
            "load_competency_framework", str(DEFAULT_FRAMEWORK), "--organisation", "999999"
        )


def assess_url(peer):
    return reverse("workforce:assessment_create", kwargs={"peer_pk": peer.pk})


def test_peer_self_assesses_and_sees_the_radar(world):
    peer = world.peer("peer_a")
    competencies = list(Competency.objects.filter(domain__framework=default_framework()))
    data = {"date": "2025-03-01", "evidence": "groupe de parole du 12 mars"}
    data.update({f"level_{c.pk}": "3" for c in competencies[:4]})
    response = world.client("peer_a").post(assess_url(peer), data)
    assert response.status_code == 302
    assessments = Assessment.objects.filter(peer=peer)
    assert assessments.count() == 4
    assert set(assessments.values_list("assessor", flat=True)) == {"self"}
    assert last_access("workforce.assessment").action == "create"

    response = world.client("peer_a").get(response["Location"])
    content = response.content.decode()
    assert 'role="img"' in content and "<svg" in content
    assert "auto-évaluation" in content
    assert 'id="radar-data"' in content
    rows = response.context["data"]["rows"]
    assert rows[0]["cells"] == [3.0]  # first domain: both competencies at level 3


def test_coordinator_and_mentor_assess_director_cannot(world):
    peer = world.peer("peer_a")
    competency = Competency.objects.filter(domain__framework=default_framework()).first()
    data = {"date": "2025-03-01", f"level_{competency.pk}": "2"}
    world.client("coordinator_a").post(assess_url(peer), data)
    assert world.client("director_a").post(assess_url(peer), data).status_code == 403
    # A professional sees the portfolio only once they mentor the peer.
    assert world.client("professional_a").get(assess_url(peer)).status_code == 404
    MentoringFactory(mentor=world.membership("professional_a"), mentee=world.membership("peer_a"))
    world.client("professional_a").post(assess_url(peer), data)
    assert sorted(Assessment.objects.values_list("assessor", flat=True)) == [
        "coordinator",
        "mentor",
    ]


def test_assessment_needs_a_level_and_a_past_date(world):
    peer = world.peer("peer_a")
    response = world.client("peer_a").post(assess_url(peer), {"date": "2025-03-01"})
    assert "Indiquez le niveau d&#x27;au moins une compétence." in response.content.decode() or (
        "Indiquez le niveau d'au moins une compétence." in response.content.decode()
    )
    competency = Competency.objects.first()
    response = world.client("peer_a").post(
        assess_url(peer), {"date": "2999-01-01", f"level_{competency.pk}": "2"}
    )
    assert "La date ne peut pas être dans le futur." in response.content.decode()
    response = world.client("peer_a").post(
        assess_url(peer), {"date": "2025-01-01", f"level_{competency.pk}": "7"}
    )
    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_portfolio_other_organisation_404(world):
    AssessmentFactory(peer=world.peer("peer_b"))
    url = reverse("workforce:portfolio", kwargs={"peer_pk": world.peer("peer_b").pk})
    assert world.client("coordinator_a").get(url).status_code == 404
    assert world.client("coordinator_b").get(url).status_code == 200


def test_radar_svg_is_accessible_and_escaped():
    svg = radar_svg(["A <b>", "B", "C"], [("moi", [1, None, 4])], title="Titre")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-label="Titre. moi : A &lt;b&gt; 1.0, B –, C 4.0"' in svg
    assert "<b>" not in svg
