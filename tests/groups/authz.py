from entrepairs.groups.models import Group
from tests.authz import Route

from .factories import GroupFactory, GroupSessionFactory

READERS = {"peer_a", "professional_a", "coordinator_a", "director_a", "peer_b", "coordinator_b"}
WRITERS = READERS - {"director_a"}


def group_in(world, org_key):
    """A group co-facilitated by the org's peer (and by professional_a in org A)."""
    group = GroupFactory(organisation=world.org(org_key), peers=[world.peer(f"peer_{org_key}")])
    if org_key == "a":
        group.professional_facilitators.add(world.membership("professional_a"))
    return {"pk": group.pk}


def session_in(world, org_key):
    """A session of a group co-facilitated as in ``group_in``."""
    group = Group.objects.get(pk=group_in(world, org_key)["pk"])
    return {"pk": GroupSessionFactory(group=group).pk}


ROUTES = [
    Route("groups:group_list", allowed=READERS),
    Route(
        "groups:group_list_export",
        allowed={"coordinator_a", "director_a", "coordinator_b"},
        query="format=csv",
    ),
    Route("groups:group_create", allowed=WRITERS),
    # Object routes: persona of org B asking for org A's group gets 404 (not theirs).
    Route(
        "groups:group_detail",
        allowed=READERS,
        kwargs=group_in,
        status={"peer_b": 404, "coordinator_b": 404},
    ),
    Route(
        "groups:group_edit",
        allowed=WRITERS,
        kwargs=group_in,
        status={"peer_b": 404, "coordinator_b": 404},
    ),
    Route(
        "groups:session_create",
        allowed=WRITERS,
        kwargs=group_in,
        status={"peer_b": 404, "coordinator_b": 404},
    ),
    # Correcting and deleting a session: the same personas as recording one (GET shows the
    # form or the confirmation page).
    Route(
        "groups:session_update",
        allowed=WRITERS,
        kwargs=session_in,
        status={"peer_b": 404, "coordinator_b": 404},
    ),
    Route(
        "groups:session_delete",
        allowed=WRITERS,
        kwargs=session_in,
        status={"peer_b": 404, "coordinator_b": 404},
    ),
]
