from entrepairs.accounts.models import Membership
from entrepairs.core.roles import Role
from tests.authz import LOGGED_IN, Route
from tests.factories import MembershipFactory, OrganisationFactory

MANAGERS_A = {"coordinator_a", "director_a"}
MANAGERS = MANAGERS_A | {"coordinator_b"}


def team_member(world, org):
    """A professional of org ``org``: any manager of that organisation may manage them."""
    membership = MembershipFactory(
        organisation=world.org(org), role=Role.PROFESSIONAL, facilities=[world.facility(org)]
    )
    return {"pk": membership.pk}


def invitation_to(world, org):
    """An invitation of a new organisation, waiting for the answer of peer_a (org "a") or
    peer_b (org "b"): only the invited account may answer it, anyone else gets 404."""
    invited = world.user("peer_a" if org == "a" else "peer_b")
    membership = MembershipFactory(
        user=invited,
        organisation=OrganisationFactory(),
        role=Role.PROFESSIONAL,
        is_active=False,
        invitation=Membership.Invitation.PENDING,
    )
    return {"pk": membership.pk}


def pending_invitation_of(world, org):
    """An invitation sent by org ``org`` and not answered yet: its managers may cancel it."""
    membership = MembershipFactory(
        organisation=world.org(org),
        role=Role.PROFESSIONAL,
        is_active=False,
        invitation=Membership.Invitation.PENDING,
    )
    return {"pk": membership.pk}


NOT_INVITED = {p: 404 for p in LOGGED_IN - {"peer_a"}}

ROUTES = [
    # The invited person's side (any signed-in account, on its own invitations only).
    Route("accounts:invitations", allowed=LOGGED_IN),
    Route(
        "accounts:invitation_accept",
        method="post",
        allowed={"peer_a"},
        ok_status=302,
        kwargs=invitation_to,
        status=NOT_INVITED,
    ),
    Route(
        "accounts:invitation_decline",
        method="post",
        allowed={"peer_a"},
        ok_status=302,
        kwargs=invitation_to,
        status=NOT_INVITED,
    ),
    Route("accounts:login", public=True, allowed=LOGGED_IN, status={p: 302 for p in LOGGED_IN}),
    # Already verified users are sent on to the home page.
    Route("accounts:otp_verify", allowed=LOGGED_IN, ok_status=302),
    Route("accounts:otp_setup", allowed=LOGGED_IN, ok_status=302),
    Route(
        "accounts:logout",
        method="post",
        allowed=LOGGED_IN,
        ok_status=302,
        status={"anonymous": 302},
    ),
    Route("accounts:switch_organisation", method="post", allowed=LOGGED_IN, ok_status=302),
    # ProConnect: public by design, 404 while not configured (the tests' default).
    Route("accounts:proconnect_login", public=True, allowed=LOGGED_IN, ok_status=404),
    Route("accounts:proconnect_callback", public=True, allowed=LOGGED_IN, ok_status=404),
    Route("accounts:proconnect_logout_done", public=True, allowed=LOGGED_IN, ok_status=404),
    Route("accounts:password_reset", public=True, allowed=LOGGED_IN),
    Route("accounts:password_reset_done", public=True, allowed=LOGGED_IN),
    Route(
        "accounts:password_reset_confirm",
        public=True,
        allowed=LOGGED_IN,
        kwargs=lambda world, org: {"uidb64": "MQ", "token": "invalide"},
        cross_org=False,
    ),
    Route("accounts:password_reset_complete", public=True, allowed=LOGGED_IN),
    # Équipe et accès: the coordinator of org B gets 404 on an object of org A.
    Route("accounts:team_list", allowed=MANAGERS),
    Route("accounts:team_invite", allowed=MANAGERS),
    Route(
        "accounts:membership_update",
        allowed=MANAGERS_A,
        kwargs=team_member,
        status={"coordinator_b": 404},
    ),
    # GET is the confirmation page (it changes nothing); the POST is tested in test_team.py.
    Route(
        "accounts:membership_deactivate",
        allowed=MANAGERS_A,
        kwargs=team_member,
        status={"coordinator_b": 404},
    ),
    Route(
        "accounts:membership_cancel_invitation",
        allowed=MANAGERS_A,
        kwargs=pending_invitation_of,
        status={"coordinator_b": 404},
    ),
    Route(
        "accounts:membership_reactivate",
        method="post",
        allowed=MANAGERS_A,
        ok_status=302,
        kwargs=team_member,
        status={"coordinator_b": 404},
    ),
]
