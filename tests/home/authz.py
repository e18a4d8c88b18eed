from tests.authz import LOGGED_IN, Route

ROUTES = [
    Route("home:home", allowed=LOGGED_IN),
]
