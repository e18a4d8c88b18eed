from entrepairs.core.roles import Role
from tests.authz import LOGGED_IN, Route
from tests.factories import MembershipFactory

MANAGERS_A = {"coordinator_a", "director_a"}
MANAGERS = MANAGERS_A | {"coordinator_b"}


def team_member(world, org):
    """A professional of org ``org``: any manager of that organisation may manage them."""
    membership = MembershipFactory(
        organisation=world.org(org), role=Role.PROFESSIONAL, facilities=[world.facility(org)]
    )
    return {"pk": membership.pk}


ROUTES = [
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
    Route(
        "accounts:membership_deactivate",
        method="post",
        allowed=MANAGERS_A,
        ok_status=302,
        kwargs=team_member,
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
