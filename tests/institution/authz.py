from tests.authz import Route

from .factories import ActivityFactory

READERS = {"peer_a", "coordinator_a", "director_a", "peer_b", "coordinator_b"}
WRITERS = READERS - {"director_a"}


def activity_in(world, org_key):
    """An activity of the org, in which the org's peer took part."""
    activity = ActivityFactory(
        organisation=world.org(org_key), with_peers=[world.peer(f"peer_{org_key}")]
    )
    return {"pk": activity.pk}


ROUTES = [
    Route("institution:activity_list", allowed=READERS),
    Route(
        "institution:activity_list_export",
        allowed={"coordinator_a", "director_a", "coordinator_b"},
        query="format=xlsx",
    ),
    Route("institution:activity_create", allowed=WRITERS),
    Route(
        "institution:activity_detail",
        allowed=READERS,
        kwargs=activity_in,
        status={"peer_b": 404, "coordinator_b": 404},
    ),
    Route(
        "institution:activity_edit",
        allowed=WRITERS,
        kwargs=activity_in,
        status={"peer_b": 404, "coordinator_b": 404},
    ),
]
