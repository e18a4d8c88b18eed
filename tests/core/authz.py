from tests.authz import LOGGED_IN, Route

ROUTES = [
    Route("core:accessibility", public=True, allowed=LOGGED_IN),
    Route("core:legal", public=True, allowed=LOGGED_IN),
    # The Django admin (/gestion/) is for platform staff only; its own URLs are covered by
    # Django's tests, the matrix checks that only staff reach it.
    Route("admin:*", allowed={"admin"}, status={p: 302 for p in LOGGED_IN - {"admin"}}),
]
