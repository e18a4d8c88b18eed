"""Authorization matrix of the accompaniment app (see tests/authz.py)."""

from entrepairs.accompaniment.models import Accompaniment
from tests.authz import LOGGED_IN, Route

from .factories import ResourceFactory, make_encounter, make_person, make_plan, make_referral

READERS = {"peer_a", "professional_a", "coordinator_a", "peer_b", "coordinator_b"}
WRITERS = {"peer_a", "coordinator_a", "peer_b", "coordinator_b"}
PEERS = {"peer_a", "peer_b"}


def person(world, org):
    return {"pk": make_person(world, org).pk}


def person_with_plan(world, org):
    p = make_person(world, org)
    make_plan(p)
    return {"pk": p.pk}


def accompaniment(world, org):
    return {"pk": Accompaniment.objects.get(person=make_person(world, org)).pk}


def own_encounter(world, org):
    """An encounter recorded by the peer of ``org``."""
    return {"pk": make_encounter(make_person(world, org)).pk}


def resource(world, org):
    return {"pk": ResourceFactory(organisation=world.org(org)).pk}


def referral(world, org):
    return {"pk": make_referral(make_person(world, org)).pk}


# An object of org "a": the "_b" personas get 404 for it (tenant boundary), like any outsider.
OBJECT_B = {"peer_b": 404, "coordinator_b": 404}

ROUTES = [
    Route("accompaniment:person_list", allowed=READERS),
    Route("accompaniment:person_create", allowed=WRITERS),
    # Lists taken away (CSV, XLSX): only the roles that hold the records.
    Route("accompaniment:person_list_export", allowed=WRITERS, query="format=csv"),
    Route("accompaniment:resource_list", allowed=READERS),
    Route("accompaniment:resource_list_export", allowed=READERS, query="format=csv"),
    Route("accompaniment:resource_create", allowed=WRITERS),
    Route("accompaniment:person_detail", allowed=READERS, kwargs=person, status=OBJECT_B),
    Route("accompaniment:person_update", allowed=WRITERS, kwargs=person, status=OBJECT_B),
    Route("accompaniment:consent_record", allowed=WRITERS, kwargs=person, status=OBJECT_B),
    Route("accompaniment:encounter_list", allowed=READERS, kwargs=person, status=OBJECT_B),
    Route("accompaniment:encounter_create", allowed=PEERS, kwargs=person, status={"peer_b": 404}),
    Route(
        "accompaniment:encounter_update",
        allowed=PEERS,
        kwargs=own_encounter,
        status={"peer_b": 404},
    ),
    Route(
        "accompaniment:encounter_delete",
        allowed=PEERS,
        kwargs=own_encounter,
        status={"peer_b": 404},
    ),
    Route("accompaniment:accompaniment_create", allowed=WRITERS, kwargs=person, status=OBJECT_B),
    Route(
        "accompaniment:accompaniment_update",
        allowed=WRITERS,
        kwargs=accompaniment,
        status=OBJECT_B,
    ),
    Route("accompaniment:recovery_plan", allowed=READERS, kwargs=person, status=OBJECT_B),
    Route(
        "accompaniment:recovery_review_create",
        allowed=PEERS,
        kwargs=person_with_plan,
        status={"peer_b": 404},
    ),
    Route("accompaniment:resource_update", allowed=WRITERS, kwargs=resource, status=OBJECT_B),
    Route("accompaniment:referral_create", allowed=WRITERS, kwargs=person, status=OBJECT_B),
    Route("accompaniment:referral_update", allowed=WRITERS, kwargs=referral, status=OBJECT_B),
    Route("accompaniment:person_export_html", allowed=WRITERS, kwargs=person, status=OBJECT_B),
    Route("accompaniment:person_export_json", allowed=WRITERS, kwargs=person, status=OBJECT_B),
    Route("accompaniment:person_export_pdf", allowed=WRITERS, kwargs=person, status=OBJECT_B),
    Route("accompaniment:person_export_schema", public=True, allowed=LOGGED_IN),
    Route("accompaniment:person_anonymise", allowed=WRITERS, kwargs=person, status=OBJECT_B),
]
