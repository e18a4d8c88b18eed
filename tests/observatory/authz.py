from tests.authz import Route


def peer_of(world, org_key):
    return {"pk": world.peer(f"peer_{org_key}").pk}


ROUTES = [
    Route("observatory:my_activity", allowed={"peer_a", "peer_b"}),
    Route(
        "observatory:peer_activity",
        allowed={"coordinator_a", "coordinator_b"},
        kwargs=peer_of,
        status={"coordinator_b": 404},
    ),
    Route("observatory:regional", allowed={"regional_observer", "national_observer"}),
    Route("observatory:national", allowed={"national_observer"}),
]
