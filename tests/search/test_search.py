"""Search: across what each role may see, through the owning apps' ``visible_to()``, logged."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entrepairs.accompaniment.models import Consent, ConsentPurpose
from entrepairs.core.models import AccessEvent, AccessEventRecord, Action
from entrepairs.search.sources import LIMIT
from tests.accompaniment.factories import ResourceFactory, make_person
from tests.evaluation.factories import campaign
from tests.factories import DeploymentFactory, PeerWorkerFactory
from tests.groups.factories import GroupFactory
from tests.institution.factories import ActivityFactory
from tests.workforce.factories import ContractFactory, MissionCharterFactory, TrainingFactory

URL = reverse("search:search")


def search(world, persona, q, **extra):
    return world.client(persona).get(URL, {"q": q, **extra})


def found(response, kind) -> list[str]:
    """The result URLs of one kind, as the page shows them."""
    html = response.content.decode()
    match = re.search(rf'id="resultats-{kind}".*?</ul>', html, re.S)
    return re.findall(r'href="([^"]+)"', match.group(0)) if match else []


def person_url(person):
    return reverse("accompaniment:person_detail", args=[person.pk])


@pytest.fixture
def twins(world):
    """Two organisations holding records with the same names: the insider's test."""
    records = {}
    for key in ("a", "b"):
        org = world.org(key)
        records[key] = {
            "person": make_person(world, key, alias="Élodie Marçais"),
            "group": GroupFactory(
                organisation=org, name="Groupe Élan", peers=[world.peer(f"peer_{key}")]
            ),
            "campaign": campaign(world, key, title="Satisfaction Élan"),
            "resource": ResourceFactory(organisation=org, name="GEM Élan"),
            "activity": ActivityFactory(
                organisation=org,
                title="Sensibilisation Élan",
                with_peers=[world.peer(f"peer_{key}")],
            ),
        }
        peer = PeerWorkerFactory(employer=org, first_name="Noémie", last_name="Élan")
        DeploymentFactory(peer=peer, facility=world.facility(key))
        records[key]["peer"] = peer
        records[key]["contract"] = ContractFactory(peer=peer)
        records[key]["training"] = TrainingFactory(peer=peer, title="DU Élan")
        records[key]["charter"] = MissionCharterFactory(peer=peer)
    return records


def test_accents_and_case_do_not_matter(world, twins):
    expected = [person_url(twins["a"]["person"])]
    for q in ("elodie", "ÉLODIE", "Élo", "marcais", "MARÇAIS élodie", "  elodie  "):
        assert found(search(world, "coordinator_a", q), "persons") == expected, q


def test_capitals_with_accents_in_the_column_are_folded_too(world):
    person = make_person(world, "a", alias="ÉLISE")
    assert found(search(world, "coordinator_a", "elise"), "persons") == [person_url(person)]


def test_every_word_must_match(world, twins):
    make_person(world, "a", alias="Élodie Dupont")
    assert found(search(world, "coordinator_a", "elodie marcais"), "persons") == [
        person_url(twins["a"]["person"])
    ]
    assert len(found(search(world, "coordinator_a", "elodie"), "persons")) == 2


def test_never_another_organisation(world, twins):
    """Same pseudonyms, names and titles in org B: a search in A finds only A's."""
    a, b = twins["a"], twins["b"]
    response = search(world, "coordinator_a", "elan")
    html = response.content.decode()
    assert found(response, "groups") == [reverse("groups:group_detail", args=[a["group"].pk])]
    assert found(response, "campaigns") == [
        reverse("evaluation:campaign_detail", args=[a["campaign"].pk])
    ]
    assert found(response, "peers") == [reverse("workforce:peer_detail", args=[a["peer"].pk])]
    assert found(response, "contracts") == [
        reverse("workforce:contract_detail", args=[a["contract"].pk])
    ]
    assert found(response, "charters") == [
        reverse("workforce:charter_detail", args=[a["charter"].pk])
    ]
    assert found(response, "activities") == [
        reverse("institution:activity_detail", args=[a["activity"].pk])
    ]
    assert len(found(response, "resources")) == 1
    for url in (
        reverse("groups:group_detail", args=[b["group"].pk]),
        reverse("evaluation:campaign_detail", args=[b["campaign"].pk]),
        reverse("workforce:peer_detail", args=[b["peer"].pk]),
        reverse("workforce:contract_detail", args=[b["contract"].pk]),
        reverse("workforce:charter_detail", args=[b["charter"].pk]),
        reverse("institution:activity_detail", args=[b["activity"].pk]),
    ):
        assert f'href="{url}"' not in html
    assert "CH Bêta" not in html.split('id="contenu"')[1]
    assert found(search(world, "coordinator_b", "elodie"), "persons") == [person_url(b["person"])]


def test_tampered_parameters_change_nothing(world, twins):
    """Extra parameters naming org B, or several ``q``, never widen the search."""
    b = twins["b"]
    response = world.client("coordinator_a").get(
        URL,
        {
            "q": ["zzz", "elodie"],  # the last one counts, as everywhere in Django
            "organisation": world.org_b.pk,
            "membership": world.membership("coordinator_b").pk,
            "kind": "persons",
            "org": "b",
        },
    )
    assert response.status_code == 200
    assert person_url(b["person"]) not in response.content.decode()
    assert found(response, "persons") == [person_url(twins["a"]["person"])]


def test_each_role_finds_what_its_pages_show(world, twins):
    a = twins["a"]
    other = make_person(world, "a", alias="Élodie Autre")
    other.accompaniments.first().peers.clear()  # accompanied by nobody: not peer_a's
    # Peer: their own persons only, their groups, campaigns, no other peer's dossier.
    response = search(world, "peer_a", "elodie")
    assert found(response, "persons") == [person_url(a["person"])]
    assert found(search(world, "peer_a", "noemie"), "peers") == []
    # Director: no person at all (DESIGN.md), but the workforce.
    response = search(world, "director_a", "elodie")
    assert found(response, "persons") == []
    response = search(world, "director_a", "elan")
    assert found(response, "peers") and found(response, "contracts") and found(response, "groups")
    assert found(response, "campaigns") == []  # directors do not run campaigns
    # Professional: persons of their facilities who consented to team sharing; no dossier.
    response = search(world, "professional_a", "elodie")
    assert person_url(a["person"]) in found(response, "persons")
    assert found(search(world, "professional_a", "noemie"), "contracts") == []


def test_withdrawn_team_sharing_hides_the_person_from_professionals(world, twins):
    person = twins["a"]["person"]
    assert found(search(world, "professional_a", "elodie"), "persons") == [person_url(person)]
    Consent.decide(person, ConsentPurpose.TEAM_SHARING, False, Consent.Means.ORAL)
    assert found(search(world, "professional_a", "elodie"), "persons") == []
    # The peer who accompanies her still finds her record (read-only rules are the record's).
    assert found(search(world, "peer_a", "elodie"), "persons") == [person_url(person)]


def test_anonymised_persons_are_not_found(world, twins):
    from django.utils import timezone

    person = twins["a"]["person"]
    type(person).objects.filter(pk=person.pk).update(anonymised_at=timezone.now())
    assert found(search(world, "coordinator_a", "elodie"), "persons") == []


@pytest.mark.parametrize("persona", ["peer_a", "professional_a", "coordinator_a", "director_a"])
def test_every_result_opens_for_the_searcher(world, twins, persona):
    """A result never leads to a 403 or a 404: its link is a page of the searcher's role."""
    response = search(world, persona, "elan")
    urls = re.findall(r'<ul class="search-results">(.*?)</ul>', response.content.decode(), re.S)
    links = [u for block in urls for u in re.findall(r'href="([^"]+)"', block)]
    links += found(search(world, persona, "elodie"), "persons")
    assert links, persona
    for link in links:
        assert world.client(persona).get(link.replace("&amp;", "&")).status_code == 200, link


def test_search_is_logged_without_the_words(world, twins):
    person = twins["a"]["person"]
    before = AccessEvent.objects.count()
    search(world, "coordinator_a", "Élodie Marçais")
    events = list(AccessEvent.objects.order_by("pk")[before:])
    assert {e.action for e in events} == {Action.SEARCH}
    person_events = [e for e in events if e.object_type == "accompaniment.person"]
    assert len(person_events) == 1 and person_events[0].object_ids == [person.pk]
    assert AccessEventRecord.objects.filter(event=person_events[0], object_id=person.pk).exists()
    for event in events:
        stored = f"{event.path} {event.object_type} {event.role}".lower()
        assert "elodie" not in stored and "élodie" not in stored and "q=" not in stored
    # The resource directory is not person data: not logged, as its own list.
    assert "accompaniment.resource" not in {e.object_type for e in events}


def test_the_person_sees_the_search_in_their_space(world, twins):
    person = twins["a"]["person"]
    search(world, "peer_a", "elodie")
    assert (
        AccessEvent.objects.about("accompaniment.person", person.pk)
        .filter(action=Action.SEARCH)
        .exists()
    )


def test_a_search_that_finds_nothing_is_logged_too(world):
    before = AccessEvent.objects.count()
    response = search(world, "coordinator_a", "introuvable")
    assert "Rien trouvé" in response.content.decode()
    events = list(AccessEvent.objects.order_by("pk")[before:])
    assert [(e.action, e.object_ids) for e in events] == [(Action.SEARCH, [])]


@pytest.mark.parametrize(
    "q, message",
    [
        ("x" * 101, "limitée à 100 caractères"),
        ("ab\x00cd", "caractère non autorisé"),
        ("     ", "Saisissez un mot à rechercher"),
        ("a", "au moins 2 lettres"),
        ("!!! ???", "au moins 2 lettres"),
        ("x" * 200_000, "limitée à 100 caractères"),
    ],
)
def test_bad_input_gets_a_french_message_and_searches_nothing(world, twins, q, message):
    before = AccessEvent.objects.count()
    response = search(world, "coordinator_a", q)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'aria-invalid="true"' in html
    assert ">Résultats</h2>" not in html
    assert AccessEvent.objects.count() == before


def test_the_page_without_a_query_shows_the_form_only(world):
    before = AccessEvent.objects.count()
    response = world.client("peer_a").get(URL)
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()
    assert "Saisissez" not in response.content.decode()
    assert AccessEvent.objects.count() == before


def test_results_are_cut_and_say_so(world):
    for n in range(LIMIT + 3):
        make_person(world, "a", alias=f"Camille {n}")
    response = search(world, "coordinator_a", "camille")
    assert len(found(response, "persons")) == LIMIT
    assert "précisez votre recherche" in response.content.decode()


def _queries(world, persona, q):
    with CaptureQueriesContext(connection) as ctx:
        assert search(world, persona, q).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("persona", ["peer_a", "coordinator_a", "director_a"])
def test_query_count_does_not_grow_with_the_data(world, persona):
    def grow(n, start):
        for i in range(start, start + n):
            make_person(world, "a", alias=f"Martin {i}")
            peer = PeerWorkerFactory(employer=world.org_a, first_name="Martin", last_name=f"P{i}")
            DeploymentFactory(peer=peer, facility=world.facility_a)
            ContractFactory(peer=peer)
            MissionCharterFactory(peer=peer)
            GroupFactory(organisation=world.org_a, name=f"Martin {i}", peers=[world.peer("peer_a")])

    grow(2, 0)
    search(world, persona, "martin")  # warm the session and caches
    small = _queries(world, persona, "martin")
    grow(12, 2)
    assert _queries(world, persona, "martin") == small
