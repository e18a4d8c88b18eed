from tests.authz import STAFF, Route

ROUTES = [
    # With a query, so that every persona runs a real search (and logs it).
    Route("search:search", allowed=STAFF | {"peer_b", "coordinator_b"}, query="?q=alpha"),
]
