import datetime
import html

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from entrepairs.accompaniment.models import Encounter
from entrepairs.observatory.activity import largest_remainder, monthly_summary
from tests.groups.factories import GroupFactory, GroupSessionFactory, accompanied_person
from tests.institution.factories import ActivityFactory
from tests.utils import assert_constant_queries, last_access

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2025, 3, 1)
URL = reverse("observatory:my_activity")


def text(response):
    return html.unescape(response.content.decode())


def encounter(world, person, day, minutes, outcome=Encounter.Outcome.HELD, persona="peer_a"):
    return Encounter.objects.create(
        accompaniment=person.accompaniments.get(),
        peer=world.peer(persona),
        date=day,
        duration_minutes=minutes,
        mode=Encounter.Mode.IN_PERSON,
        kinds=["soutien"],
        outcome=outcome,
        note="Note très privée sur la personne",
    )


@pytest.fixture
def march(world):
    """3 h individual, 2 h groups, 1 h institutional for peer_a in March 2025, plus noise
    that must not count."""
    peer = world.peer("peer_a")
    person = accompanied_person(world, alias="Alias-Secret")
    encounter(world, person, datetime.date(2025, 3, 3), 120)
    encounter(world, person, datetime.date(2025, 3, 31), 60)
    encounter(world, person, datetime.date(2025, 3, 10), 45, Encounter.Outcome.MISSED)
    encounter(world, person, datetime.date(2025, 2, 28), 300)  # other month
    encounter(world, person, datetime.date(2025, 4, 1), 300)  # other month
    group = GroupFactory(organisation=world.org_a, peers=[peer])
    GroupSessionFactory(
        group=group, date=datetime.date(2025, 3, 5), duration_minutes=120, peers=[peer]
    )
    GroupSessionFactory(group=group, date=datetime.date(2025, 3, 12), duration_minutes=90)  # absent
    ActivityFactory(
        organisation=world.org_a,
        date=datetime.date(2025, 3, 20),
        duration_minutes=60,
        with_peers=[peer],
    )
    ActivityFactory(organisation=world.org_a, date=datetime.date(2025, 3, 21), duration_minutes=240)
    # peer_b's work in org B never shows in peer_a's figures.
    other = accompanied_person(world, persona="peer_b", alias="Autre")
    encounter(world, other, datetime.date(2025, 3, 3), 500, persona="peer_b")
    return peer


def test_monthly_summary_matches_hand_computed_figures(world, march):
    summary = monthly_summary(march, world.org_a.pk, MARCH)
    figures = {row.key: (row.minutes, row.hours, row.share) for row in summary.rows}
    assert figures == {
        "individual": (180, 3.0, 50),
        "groups": (120, 2.0, 33),
        "institutional": (60, 1.0, 17),
    }
    assert summary.total_hours == 6.0


def test_monthly_summary_is_two_queries(world, march, django_assert_num_queries):
    # One for the three sums, one for the signed mission charter's targets.
    with django_assert_num_queries(2):
        monthly_summary(march, world.org_a.pk, MARCH)


def test_peer_sees_hours_and_shares_of_the_chosen_month(world, march):
    response = world.client("peer_a").get(URL + "?mois=2025-03")
    assert response.status_code == 200
    body = text(response)
    assert "3,0 h" in body and "2,0 h" in body and "1,0 h" in body
    assert "50 %" in body and "33 %" in body and "17 %" in body
    assert 'role="img"' in body
    # Timeline: the encounters are there, without note nor alias.
    assert "Note très privée" not in body and "Alias-Secret" not in body
    assert "non comptée" in body
    assert last_access("workforce.peerworker").object_ids == [march.pk]


def test_default_month_is_the_current_month(world, march):
    response = world.client("peer_a").get(URL)
    assert response.context["summary"].month == datetime.date.today().replace(day=1)
    assert response.context["summary"].total_minutes == 0


def test_invalid_month_is_reported_in_french(world, march):
    body = text(world.client("peer_a").get(URL + "?mois=2025-13"))
    assert "« 2025-13 » n'est pas un mois valide (format AAAA-MM)." in body


def test_timeline_lists_all_three_missions_newest_first(world, march):
    response = world.client("peer_a").get(URL)
    entries = response.context["entries"]
    assert [e.date for e in entries] == sorted((e.date for e in entries), reverse=True)
    assert {e.mission for e in entries} == {"individual", "groups", "institutional"}
    assert len(entries) == 7  # 5 encounters, 1 session present, 1 activity


def test_only_peers_open_my_activity(world):
    for persona in ("coordinator_a", "director_a", "professional_a", "regional_observer"):
        assert world.client(persona).get(URL).status_code == 403


def test_peer_without_record_sees_a_message(world):
    world.peer("peer_a").delete()
    body = text(world.client("peer_a").get(URL))
    assert "pas encore créée" in body


def test_my_activity_query_count_is_constant(world):
    peer = world.peer("peer_a")
    person = accompanied_person(world)
    group = GroupFactory(organisation=world.org_a, peers=[peer])

    def add_rows(n):
        for i in range(n):
            day = datetime.date.today() - datetime.timedelta(days=i)
            encounter(world, person, day, 30)
            GroupSessionFactory(group=group, date=day, peers=[peer])
            ActivityFactory(organisation=world.org_a, date=day, with_peers=[peer])

    assert_constant_queries(world.client("peer_a"), URL, add_rows)


def test_coordinator_sees_a_peers_monthly_summary(world, march):
    url = reverse("observatory:peer_activity", args=[march.pk]) + "?mois=2025-03"
    response = world.client("coordinator_a").get(url)
    assert response.status_code == 200
    body = text(response)
    assert "50 %" in body and "33 %" in body and "17 %" in body
    assert "Note très privée" not in body and "Alias-Secret" not in body
    assert last_access("workforce.peerworker").object_ids == [march.pk]
    assert world.client("coordinator_b").get(url).status_code == 404
    assert world.client("director_a").get(url).status_code == 403
    assert world.client("peer_a").get(url).status_code == 403


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"a": 180, "b": 120, "c": 60}, {"a": 50, "b": 33, "c": 17}),
        ({"a": 1, "b": 1, "c": 1}, {"a": 34, "b": 33, "c": 33}),
        ({"a": 0, "b": 0, "c": 0}, {"a": 0, "b": 0, "c": 0}),
        ({"a": 0, "b": 45, "c": 0}, {"a": 0, "b": 100, "c": 0}),
    ],
)
def test_largest_remainder(values, expected):
    assert largest_remainder(values) == expected


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(0, 10_000), min_size=1))
def test_largest_remainder_adds_up_to_100_and_stays_within_one_point(values):
    shares = largest_remainder(values)
    total = sum(values.values())
    if not total:
        assert set(shares.values()) == {0}
        return
    assert sum(shares.values()) == 100
    for key, value in values.items():
        assert abs(shares[key] - value * 100 / total) < 1


def test_mon_activite_compares_with_the_signed_mission_charter(world, march):
    from tests.workforce.factories import MissionCharterFactory, sign_fully

    charter = MissionCharterFactory(
        peer=march, share_individual=60, share_groups=25, share_institutional=15
    )
    before = text(world.client("peer_a").get(URL + "?mois=2025-03"))
    assert "Cible de la fiche de mission" not in before  # not signed yet: no target
    sign_fully(charter, coordinator=world.membership("coordinator_a"))
    body = text(world.client("peer_a").get(URL + "?mois=2025-03"))
    assert "Cible de la fiche de mission" in body
    summary = monthly_summary(march, world.org_a.pk, MARCH)
    assert {row.key: row.target for row in summary.rows} == {
        "individual": 60,
        "groups": 25,
        "institutional": 15,
    }
