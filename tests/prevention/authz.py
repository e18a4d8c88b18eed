"""Authorization matrix of the prevention app (see tests/authz.py)."""

from entrepairs.prevention.models import RecipientKind
from tests.accompaniment.factories import make_person
from tests.authz import LOGGED_IN, Route

from .factories import make_plan, share, space_token

STATUS_READERS = {"peer_a", "professional_a", "coordinator_a", "peer_b", "coordinator_b"}
PEERS = {"peer_a", "peer_b"}
OUTCOME_READERS = {
    "coordinator_a",
    "director_a",
    "coordinator_b",
    "regional_observer",
    "national_observer",
}
# An object of org "a": the "_b" personas get 404 for it (tenant boundary).
OBJECT_B = {"peer_b": 404, "coordinator_b": 404}
PEER_B = {"peer_b": 404}


def person(world, org):
    return {"pk": make_person(world, org).pk}


def signed(world, org):
    return {"pk": make_plan(world, org).person_id}


def draft(world, org):
    return {"pk": make_plan(world, org, signed=False).person_id}


def recipient(world, org):
    return {"pk": share(make_plan(world, org))[0].pk}


def recipient_token(kind=RecipientKind.CRISIS_SERVICE):
    return lambda world, org: {"token": share(make_plan(world, org), kind)[1]}


def space(signed_plan=True):
    def kwargs(world, org):
        plan = make_plan(world, org, signed=signed_plan)
        return {"token": space_token(plan.person)}

    return kwargs


def space_recipient(world, org):
    plan = make_plan(world, org)
    return {"token": space_token(plan.person), "pk": share(plan)[0].pk}


def public(name, kwargs, **extra):
    return Route(name, public=True, allowed=LOGGED_IN, kwargs=kwargs, cross_org=False, **extra)


ROUTES = [
    Route("prevention:plan", allowed=STATUS_READERS, kwargs=signed, status=OBJECT_B),
    Route(
        "prevention:draft_start",
        method="post",
        allowed=PEERS,
        ok_status=302,
        kwargs=person,
        status=PEER_B,
    ),
    Route("prevention:draft_edit", allowed=PEERS, kwargs=draft, status=PEER_B),
    Route("prevention:draft_sign", allowed=PEERS, kwargs=draft, status=PEER_B),
    Route("prevention:revoke", allowed=PEERS, kwargs=signed, status=PEER_B),
    Route("prevention:plan_pdf", allowed=PEERS, kwargs=signed, status=PEER_B),
    Route("prevention:card_pdf", allowed=PEERS, kwargs=signed, status=PEER_B),
    Route("prevention:recipient_add", allowed=PEERS, kwargs=person, status=PEER_B),
    Route("prevention:recipient_link", allowed=PEERS, kwargs=recipient, status=PEER_B),
    Route("prevention:recipient_withdraw", allowed=PEERS, kwargs=recipient, status=PEER_B),
    Route("prevention:recipient_new_link", allowed=PEERS, kwargs=recipient, status=PEER_B),
    Route("prevention:recipient_copy", allowed=PEERS, kwargs=recipient, status=PEER_B),
    Route("prevention:outcomes", allowed=OUTCOME_READERS),
    # A recipient's link and the person's space: the token is the only key.
    public("prevention:shared", recipient_token()),
    public("prevention:shared_crisis", recipient_token()),
    public("prevention:shared_comment", recipient_token(RecipientKind.PSYCHIATRIST)),
    public("prevention:space", space()),
    public("prevention:space_sign", space(signed_plan=False)),
    public("prevention:space_revoke", space()),
    public("prevention:space_notes", space(), method="post", ok_status=302),
    public("prevention:space_withdraw", space_recipient),
    public("prevention:space_pdf", space()),
    public("prevention:space_card", space()),
]
