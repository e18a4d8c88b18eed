from tests.authz import LOGGED_IN, Route

ROUTES = [
    Route("territory:commune_sector", public=True, allowed=LOGGED_IN, query="q=Lille"),
]
