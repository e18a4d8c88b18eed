"""Coordinator and director homes: what needs action, each linked; codes explained; observers
led to their dashboards."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from entrepairs.accounts.models import Membership
from entrepairs.core.models import AccessEvent, Action
from entrepairs.core.roles import Role
from entrepairs.territory.models import ContextFigures
from entrepairs.workforce.models import ConductAcknowledgement, Training
from tests.evaluation.factories import campaign, invitation
from tests.factories import DeploymentFactory, MembershipFactory, PeerWorkerFactory, UserFactory
from tests.workforce.factories import (
    CodeOfConductFactory,
    ContractFactory,
    MissionCharterFactory,
    SupervisionSessionFactory,
    TrainingFactory,
)

HOME = reverse("home:home")
TODAY = timezone.localdate()


def home(world, persona):
    response = world.client(persona).get(HOME)
    assert response.status_code == 200
    return unescape(response.content.decode())


def section(html, key):
    match = re.search(rf'id="section-{key}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def peer_of(org, facility, **fields):
    peer = PeerWorkerFactory(employer=org, **fields)
    DeploymentFactory(peer=peer, facility=facility)
    return peer


def in_days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def programme(world):
    """Org A with something to do in every section, and the same in org B (never shown)."""
    made = {}
    for key in ("a", "b"):
        org, facility = world.org(key), world.facility(key)
        soon = peer_of(org, facility, first_name="Sasha", last_name=f"Bientôt{key}")
        later = peer_of(org, facility, first_name="Lou", last_name=f"Plustard{key}")
        far = peer_of(org, facility, first_name="Max", last_name=f"Loin{key}")
        made[key] = {
            "soon": ContractFactory(peer=soon, kind="cdd", start=in_days(-300), end=in_days(30)),
            "later": ContractFactory(peer=later, kind="cdd", start=in_days(-300), end=in_days(80)),
            "far": ContractFactory(peer=far, kind="cdd", start=in_days(-300), end=in_days(120)),
            "charter": MissionCharterFactory(peer=soon),
            "training": TrainingFactory(
                peer=later, status=Training.Status.IN_PROGRESS, end=in_days(-10)
            ),
            "campaign": campaign(world, key, title=f"Campagne ouverte {key}"),
        }
        SupervisionSessionFactory(organisation=org, date=in_days(-100), participants=[far])
        MembershipFactory(
            user=UserFactory(email=f"invitee-{key}@example.org"),
            organisation=org,
            role=Role.PROFESSIONAL,
            is_active=False,
            invitation=Membership.Invitation.PENDING,
            invited_first_name="Invitée",
            invited_last_name=f"Attente{key}",
            invited_at=timezone.now(),
        )
        made[key]["code"] = CodeOfConductFactory(organisation=org)
    return made


def test_contracts_ending_in_90_days_with_the_60_days_marked(world, programme):
    block = section(home(world, "coordinator_a"), "contracts")
    a = programme["a"]
    assert reverse("workforce:contract_detail", args=[a["soon"].pk]) in block
    assert reverse("workforce:contract_detail", args=[a["later"].pk]) in block
    assert reverse("workforce:contract_detail", args=[a["far"].pk]) not in block
    assert "Bientôtb" not in block and "Plustardb" not in block
    assert "dont 1 dans les 60 jours" in block
    assert "dans 30 jours" in block and "dans 80 jours" in block


def test_supervision_overdue(world, programme):
    html = home(world, "coordinator_a")
    block = section(html, "supervision")
    assert "Loina" in block and "Loinb" not in block
    assert "dernière séance le" in block
    assert "90 jours" in html  # the rule is said on the page


def test_charters_to_sign_say_whose_turn_it_is(world, programme):
    block = section(home(world, "coordinator_a"), "charters")
    charter = programme["a"]["charter"]
    assert reverse("workforce:charter_detail", args=[charter.pk]) in block
    assert "attend la signature : pair-aidant·e" in block
    mine = MissionCharterFactory(peer=world.peer("peer_a"))
    mine.sign(world.membership("peer_a"))
    mine.sign(mine.team_lead)
    block = section(home(world, "coordinator_a"), "charters")
    assert re.search(
        rf"{reverse('workforce:charter_detail', args=[mine.pk])}.*?à votre signature", block, re.S
    )
    assert "à votre signature" not in section(home(world, "director_a"), "charters")


def test_campaigns_open_for_the_coordinator_only(world, programme):
    invitation(world, "a")  # one more campaign with one pending link
    block = section(home(world, "coordinator_a"), "campaigns")
    assert "Campagne ouverte a" in block and "Campagne ouverte b" not in block
    assert "1 lien(s) en attente de réponse" in block
    assert section(home(world, "director_a"), "campaigns") == ""


def test_team_invitations_pending(world, programme):
    block = section(home(world, "director_a"), "invitations")
    assert "Invitée Attentea" in block and "Attenteb" not in block
    assert reverse("accounts:team_list") in block


def test_trainings_to_update(world, programme):
    block = section(home(world, "coordinator_a"), "trainings")
    training = programme["a"]["training"]
    assert reverse("workforce:training_update", args=[training.pk]) in block
    assert "obtenue ou abandonnée ?" in block


def test_code_of_conduct_not_acknowledged(world, programme):
    block = section(home(world, "coordinator_a"), "conduct")
    # peer_a, professional_a, coordinator_a and the charter's team lead (active, asked to
    # acknowledge); the pending invitation is not active, the director is not asked.
    assert re.search(r'badge[^"]*">4<', block), block
    ConductAcknowledgement.objects.create(
        code=programme["a"]["code"], membership=world.membership("coordinator_a")
    )
    block = section(home(world, "coordinator_a"), "conduct")
    assert re.search(r'badge[^"]*">3<', block)


@pytest.mark.parametrize("persona", ["coordinator_a", "director_a"])
def test_every_action_link_opens_for_the_manager(world, programme, persona):
    html = home(world, persona)
    todo = html.split('id="to-do"')[1].split("</section>\n</section>")[0]
    links = set(re.findall(r'href="([^"#]+)"', todo))
    assert len(links) >= 10, links
    for link in links:
        assert world.client(persona).get(link).status_code == 200, link


def test_the_home_logs_the_peers_it_names(world, programme):
    home(world, "director_a")
    event = AccessEvent.objects.filter(action=Action.LIST).latest("pk")
    assert event.object_type == "workforce.peerworker"
    assert programme["a"]["soon"].peer_id in event.object_ids
    assert programme["b"]["soon"].peer_id not in event.object_ids


def test_nothing_to_do_says_so(world):
    html = home(world, "coordinator_a")
    assert "Aucun contrat ne se termine dans les 90 jours." in html
    assert "Aucune fiche de mission n'attend de signature." in html


def test_sae_codes_are_explained(world):
    for discipline in ("GEN", "INF", "TOT"):
        ContextFigures.objects.create(
            organisation=world.org_a, year=2022, discipline=discipline, sectors=2
        )
    html = home(world, "director_a")
    assert '<abbr title="psychiatrie générale (adultes)">GEN</abbr>' in html
    assert "psychiatrie infanto-juvénile (enfants et adolescents)</dd>" in html
    assert "total de l’établissement, toutes disciplines" in html


@pytest.mark.parametrize(
    "persona, url",
    [("regional_observer", "observatory:regional"), ("national_observer", "observatory:national")],
)
def test_observers_are_led_to_their_dashboards(world, persona, url):
    html = home(world, persona)
    assert f'href="{reverse(url)}"' in html
    assert world.client(persona).get(reverse(url)).status_code == 200


def _grow(world, n):
    for i in range(n):
        peer = peer_of(world.org_a, world.facility_a, first_name="P", last_name=f"N{i}")
        ContractFactory(peer=peer, kind="cdd", start=in_days(-300), end=in_days(10 + i))
        MissionCharterFactory(peer=peer)
        TrainingFactory(peer=peer, end=in_days(-1))
        SupervisionSessionFactory(organisation=world.org_a, date=in_days(-200), participants=[peer])
        campaign(world, "a", title=f"C{i}")
        MembershipFactory(
            organisation=world.org_a,
            role=Role.PEER,
            is_active=False,
            invitation=Membership.Invitation.PENDING,
        )


def _queries(world, persona):
    with CaptureQueriesContext(connection) as ctx:
        home(world, persona)
    return len(ctx)


@pytest.mark.parametrize("persona", ["coordinator_a", "director_a"])
def test_query_count_does_not_grow_with_the_data(world, persona):
    CodeOfConductFactory(organisation=world.org_a)
    _grow(world, 2)
    home(world, persona)
    small = _queries(world, persona)
    _grow(world, 14)  # more than a section shows: the lists are cut, the counts are not
    assert _queries(world, persona) == small
    html = home(world, persona)
    assert "8 sur 16 montrés." in html
