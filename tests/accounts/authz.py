from tests.authz import LOGGED_IN, Route

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
]
