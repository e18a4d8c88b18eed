from tests.authz import LOGGED_IN, Route


def peer_of(world, org_key):
    return {"pk": world.peer(f"peer_{org_key}").pk}


def published_year(world):
    """A published year, so that exports have figures to write (written once per test)."""
    from entrepairs.observatory.models import Publication
    from entrepairs.observatory.periods import Period

    from .published_rows import publish_world

    period = Period.year(2025)
    if not Publication.objects.filter(period_kind=period.kind, period_start=period.start):
        publish_world(world, period)
    return f"periode={period.code}"


def published_year_in_region(world):
    """The national observer names the region (the regional observer's own is 32)."""
    return published_year(world) + "&region=32"


def indicator(world, org_key):
    return {"indicator": "pairs"}


def department_indicator(world, org_key):
    return {"code": "59", "indicator": "pairs"}


def department(world, org_key):
    return {"code": "59"}


OBSERVERS = {"regional_observer", "national_observer"}
MANAGERS = {"coordinator_a", "director_a", "coordinator_b"}

ROUTES = [
    Route("observatory:my_activity", allowed={"peer_a", "peer_b"}),
    Route(
        "observatory:peer_activity",
        allowed={"coordinator_a", "coordinator_b"},
        kwargs=peer_of,
        status={"coordinator_b": 404},
    ),
    Route("observatory:definitions", public=True, allowed=LOGGED_IN),
    Route("observatory:definitions_csv", public=True, allowed=LOGGED_IN),
]
for scope, allowed, extra in (
    ("national", {"national_observer"}, {}),
    ("regional", OBSERVERS, {}),
    ("departement", OBSERVERS, {"kwargs": department, "cross_org": False}),
    ("etablissement", MANAGERS, {}),
):
    query = published_year_in_region if scope == "regional" else published_year
    ROUTES.append(Route(f"observatory:{scope}", allowed=allowed, query=query, **extra))
    item_kwargs = department_indicator if scope == "departement" else indicator
    for suffix in ("_indicator", "_csv"):
        ROUTES.append(
            Route(
                f"observatory:{scope}{suffix}",
                allowed=allowed,
                kwargs=item_kwargs,
                cross_org=False,
                query=query,
            )
        )
    ROUTES.append(Route(f"observatory:{scope}_xlsx", allowed=allowed, query=query, **extra))
    if scope != "departement":
        ROUTES.append(Route(f"observatory:{scope}_pdf", allowed=allowed, query=query))
ROUTES.append(
    Route("observatory:national_open_data", allowed={"national_observer"}, query=published_year)
)
