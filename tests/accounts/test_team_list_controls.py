"""The team list sorts and filters; nothing of another organisation shows."""

import pytest
from django.urls import reverse

from tests.listing import check_sorts, table_rows

pytestmark = pytest.mark.django_db

TEAM = reverse("accounts:team_list")


def test_team_sorts_and_filters(world):
    client = world.client("coordinator_a")
    emails = [row[1] for row in table_rows(client.get(TEAM, {"tri": "email"}))]
    assert emails == sorted(emails) and len(emails) == 4
    assert [row[1] for row in table_rows(client.get(TEAM, {"tri": "-email"}))] == emails[::-1]
    assert [row[1] for row in table_rows(client.get(TEAM, {"role": "peer"}))] == [
        "peer_a@example.org"
    ]
    assert [row[1] for row in table_rows(client.get(TEAM, {"q": "director"}))] == [
        "director_a@example.org"
    ]
    # peer_b belongs to the other organisation: never found.
    assert "peer_b" not in str(table_rows(client.get(TEAM, {"q": "peer_b"})))
    check_sorts(client, TEAM, ["nom", "email", "role", "acces", "double"])
    assert client.get(TEAM, {"tri": "user__password", "role": "king"}).status_code == 200
