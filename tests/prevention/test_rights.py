"""The plan in the rights export (its content only for the person's peer) and at
anonymisation (its key and every text erased, dates kept)."""

import json

import pytest

from entrepairs.accompaniment.rights import anonymise_person
from entrepairs.prevention.models import (
    CrisisRecord,
    PlanVersion,
    PreventionPlan,
    Recipient,
    TrustedPerson,
)
from entrepairs.prevention.operations import record_crisis
from tests.accompaniment.factories import body

from .factories import SECRET, make_plan, share

pytestmark = pytest.mark.django_db


def export(world, persona, plan, ext="json"):
    suffix = {"json": "export.json", "html": "export/", "pdf": "export.pdf"}[ext]
    return world.client(persona).get(f"/accompagnement/personnes/{plan.person_id}/{suffix}")


def test_the_peers_export_holds_the_plan_the_coordinators_only_its_dates(world):
    plan = make_plan(world, trusted=True)
    share(plan)
    mine = json.loads(export(world, "peer_a", plan).content)["plan_de_prevention"]
    assert mine["contenu"]["rubriques"]["Les traitements que je refuse, et pourquoi"] == SECRET
    assert mine["contenu"]["personne_de_confiance"]["name"] == "Zéphyrine Quintalba"
    theirs = export(world, "coordinator_a", plan).content.decode()
    data = json.loads(theirs)["plan_de_prevention"]
    assert data["contenu"] is None and data["versions"][0]["signee_le"]
    assert data["destinataires"][0]["type"] == "psychiatre"
    for word in (SECRET, "Zéphyrine", "Kerbrat"):
        assert word not in theirs
    assert "Plan de prévention partagé" in body(export(world, "coordinator_a", plan, "html"))
    assert SECRET in body(export(world, "peer_a", plan, "html"))
    assert export(world, "peer_a", plan, "pdf").content.startswith(b"%PDF")


def test_anonymisation_erases_the_plan_and_keeps_its_dates(world):
    plan = make_plan(world, trusted=True)
    recipient, _token = share(plan)
    version = plan.in_force
    record_crisis(
        recipient, version, {"crisis_on": version.signed_at.date(), "respected": "not", "why": "x"}
    )
    anonymise_person(plan.person)
    erased = PreventionPlan.objects.get()
    assert erased.wrapped_key == "" and erased.is_erased
    kept = PlanVersion.objects.get()
    assert kept.content == "" and kept.signed_at == version.signed_at
    assert not TrustedPerson.objects.exists()
    gone = Recipient.objects.get()
    assert (gone.name, gone.token_hash) == ("", "") and gone.withdrawn_at is not None
    crisis = CrisisRecord.objects.get()
    assert crisis.why == "" and crisis.respected == "not"
