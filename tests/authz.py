"""The authorization matrix: every URL pattern of the project, and who may open it.

Each app declares its routes in ``tests/<app>/authz.py`` as ``ROUTES = [Route(...), ...]``.
``tests/test_authorization_matrix.py`` fails when a URL pattern has no Route, then opens every
route as every persona and checks the status:

- personas in ``allowed`` get ``ok_status`` (200 unless told);
- ``anonymous`` gets a redirect to the login page, unless the route is ``public``;
- every other persona gets ``denied_status`` (403 unless told);
- ``status`` overrides any of the above for one persona;
- for object URLs (``kwargs`` given), each allowed persona of org A asking for the object of
  org B gets 404: the tenant boundary.

``kwargs(world, org_key)`` creates the object in org ``"a"`` or ``"b"`` and returns the URL
kwargs. ``method="post"`` routes are posted with ``data`` (an empty dict by default).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Route:
    name: str
    allowed: frozenset | set = frozenset()
    kwargs: Callable | None = None
    public: bool = False
    ok_status: int = 200
    denied_status: int = 403
    status: dict = field(default_factory=dict)
    method: str = "get"
    data: Callable | dict | None = None
    cross_org: bool = True
    query: str | Callable = ""
    token_scope: str | None = None


STAFF = {"peer_a", "professional_a", "coordinator_a", "director_a"}
LOGGED_IN = STAFF | {"peer_b", "coordinator_b", "regional_observer", "national_observer", "admin"}
