from entrepairs.accompaniment.models import ConsentPurpose
from entrepairs.evaluation.fhir import to_questionnaire
from entrepairs.evaluation.models import Instrument, InstrumentVersion
from entrepairs.evaluation.publishing import publish
from tests.authz import LOGGED_IN, Route

from .factories import builtin, campaign, consenting_person, invitation, space_token

COORDINATION = {"coordinator_a", "director_a", "admin"}
# Personas of org B asking for an object of org A: not found.
OTHER_ORG_404 = {"peer_b": 404, "coordinator_b": 404}


def org_instrument(world, org_key):
    """An instrument imported by org a or b (built-in ones are shared by every organisation)."""
    definition = dict(builtin("who-5").definition)
    definition["code"] = f"import-{org_key}"
    version, _ = publish(
        definition,
        origin=InstrumentVersion.Origin.FHIR,
        organisation=world.org(org_key),
    )
    return {"pk": version.pk}


def fhir_upload(world):
    import io
    import json

    definition = dict(builtin("who-5").definition)
    definition["code"] = f"matrice-{Instrument.objects.count()}"
    payload = io.BytesIO(json.dumps(to_questionnaire(definition)).encode())
    payload.name = "q.json"
    return {"file": payload, "rights": "on"}


def answer_token(world, org_key):
    return {"token": invitation(world, org_key)[1]}


ROUTES = [
    Route("evaluation:instrument_list", allowed=COORDINATION | {"coordinator_b"}),
    Route(
        "evaluation:instrument_detail",
        allowed=COORDINATION,
        kwargs=org_instrument,
        status={"coordinator_b": 404},
    ),
    Route(
        "evaluation:instrument_fhir",
        allowed={"coordinator_a", "admin"},
        kwargs=org_instrument,
        status={"coordinator_b": 404},
    ),
    Route("evaluation:instrument_import", allowed={"coordinator_a", "coordinator_b", "admin"}),
    Route(
        "evaluation:campaign_list", allowed={"coordinator_a", "peer_a", "peer_b", "coordinator_b"}
    ),
    Route("evaluation:campaign_create", allowed={"coordinator_a", "coordinator_b"}),
    Route(
        "evaluation:campaign_detail",
        allowed={"coordinator_a", "peer_a", "peer_b", "coordinator_b"},
        kwargs=lambda world, org: {"pk": campaign(world, org).pk},
        status=OTHER_ORG_404,
    ),
    Route(
        "evaluation:campaign_close",
        allowed={"coordinator_a", "coordinator_b"},
        kwargs=lambda world, org: {"pk": campaign(world, org).pk},
        status={"coordinator_b": 404},
    ),
    Route(
        "evaluation:campaign_invitations",
        method="post",
        data={"count": "2"},
        ok_status=302,
        allowed={"coordinator_a", "peer_a", "peer_b", "coordinator_b"},
        kwargs=lambda world, org: {"pk": campaign(world, org).pk},
        status=OTHER_ORG_404,
    ),
    Route(
        "evaluation:invitation_sheet",
        allowed={"coordinator_a", "peer_a", "peer_b", "coordinator_b"},
        kwargs=lambda world, org: _sheet_kwargs(world, org),
        status=OTHER_ORG_404,
    ),
    Route(
        "evaluation:invitation_sheet_revoke",
        allowed={"coordinator_a", "peer_a", "peer_b", "coordinator_b"},
        kwargs=lambda world, org: _sheet_kwargs(world, org),
        status=OTHER_ORG_404,
    ),
    Route(
        "evaluation:campaign_responses_fhir",
        allowed={"coordinator_a", "coordinator_b"},
        kwargs=lambda world, org: {"pk": campaign(world, org).pk},
        status={"coordinator_b": 404},
    ),
    Route(
        "evaluation:outcomes",
        allowed={
            "coordinator_a",
            "director_a",
            "coordinator_b",
            "regional_observer",
            "national_observer",
        },
    ),
    Route("evaluation:stays_import", allowed={"coordinator_a", "coordinator_b"}),
    Route(
        "evaluation:person_space_link",
        allowed={"coordinator_a", "peer_a"},
        kwargs=lambda world, org: {"pk": consenting_person(world, org).pk},
        status=OTHER_ORG_404,
    ),
    Route(
        "evaluation:person_space_link_revoke",
        allowed={"coordinator_a", "peer_a"},
        kwargs=lambda world, org: {"pk": _person_with_link(world, org).pk},
        status=OTHER_ORG_404,
    ),
    # Public pages for persons: the token is the only key; staff see the same page.
    Route("evaluation:answer_thanks", public=True, allowed=LOGGED_IN),
    Route(
        "evaluation:answer", public=True, allowed=LOGGED_IN, kwargs=answer_token, cross_org=False
    ),
    Route(
        "evaluation:invitation_qr",
        public=True,
        allowed=LOGGED_IN,
        kwargs=answer_token,
        cross_org=False,
    ),
    Route(
        "evaluation:space",
        public=True,
        allowed=LOGGED_IN,
        kwargs=lambda world, org: {"token": space_token(world, org)},
        cross_org=False,
    ),
    Route(
        "evaluation:space_withdraw",
        public=True,
        allowed=LOGGED_IN,
        kwargs=lambda world, org: {
            "token": space_token(world, org),
            "purpose": ConsentPurpose.EVALUATION,
        },
        cross_org=False,
    ),
    Route(
        "evaluation:space_give",
        public=True,
        allowed=LOGGED_IN,
        kwargs=lambda world, org: {
            "token": space_token(world, org),
            "purpose": ConsentPurpose.CONTACT,
        },
        cross_org=False,
    ),
    Route(
        "evaluation:space_answer",
        public=True,
        allowed=LOGGED_IN,
        kwargs=lambda world, org: _space_answer_kwargs(world, org),
        cross_org=False,
    ),
]


def _space_answer_kwargs(world, org):
    person = consenting_person(world, org)
    inv, _token = invitation(world, org, linked=True, person=person)
    return {"token": space_token(world, org, person), "invitation_pk": inv.pk}


def _sheet_kwargs(world, org):
    import uuid

    batch = uuid.uuid4()
    inv, _token = invitation(world, org, batch=batch)
    return {"pk": inv.campaign_id, "batch": batch}


def _person_with_link(world, org):
    person = consenting_person(world, org)
    space_token(world, org, person)
    return person
