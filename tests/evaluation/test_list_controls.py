"""Campaigns and instruments sort and filter (core/listing.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.evaluation.models import Campaign
from tests.listing import check_sorts, first_column

from .factories import builtin, campaign

pytestmark = pytest.mark.django_db

CAMPAIGNS = reverse("evaluation:campaign_list")
INSTRUMENTS = reverse("evaluation:instrument_list")


def test_campaigns_sort_and_filter(world):
    campaign(world, title="Bilan B")
    campaign(world, title="Accueil A", mode=Campaign.Mode.LINKED, code="who-5")
    campaign(world, "b", title="Ailleurs")
    client = world.client("coordinator_a")
    assert first_column(client.get(CAMPAIGNS, {"tri": "campagne"})) == ["Accueil A", "Bilan B"]
    assert first_column(client.get(CAMPAIGNS, {"tri": "-campagne"})) == ["Bilan B", "Accueil A"]
    assert first_column(client.get(CAMPAIGNS, {"q": "bilan"})) == ["Bilan B"]
    closed = campaign(world, title="Close C", closed_at=timezone.now())
    assert first_column(client.get(CAMPAIGNS, {"en_cours": "non"})) == [closed.title]
    check_sorts(
        client, CAMPAIGNS, ["campagne", "questionnaire", "mode", "invitations", "utilisees"]
    )
    assert client.get(CAMPAIGNS, {"tri": "organisation__name", "mode": "?"}).status_code == 200


def test_instruments_sort_and_filter(world):
    builtin("who-5")  # loads the built-in questionnaires
    client = world.client("coordinator_a")
    names = first_column(client.get(INSTRUMENTS, {"tri": "questionnaire"}))
    assert len(names) >= 2
    assert first_column(client.get(INSTRUMENTS, {"tri": "-questionnaire"})) == names[::-1]
    check_sorts(client, INSTRUMENTS, ["questionnaire", "public", "validee", "origine"])
    assert client.get(INSTRUMENTS, {"validee": "peut-être"}).status_code == 200
