import datetime

from entrepairs.programmes.models import Programme
from tests.authz import Route

from .factories import FundingFactory

READERS = {
    "peer_a",
    "professional_a",
    "coordinator_a",
    "director_a",
    "peer_b",
    "coordinator_b",
}
WRITERS = {"coordinator_a", "director_a", "coordinator_b"}
CROSS = {"coordinator_b": 404}


def programme_of(world, org_key) -> Programme:
    programme, _created = Programme.objects.get_or_create(
        organisation=world.org(org_key),
        defaults={"name": "Programme", "started_on": datetime.date(2023, 1, 1)},
    )
    return programme


def with_programmes(world, org_key):
    """No URL kwargs: the page acts on the current organisation's programme, made for both."""
    programme_of(world, "a")
    programme_of(world, "b")
    return {}


def funding_in(world, org_key):
    return {"pk": FundingFactory(programme=programme_of(world, org_key)).pk}


ROUTES = [
    Route("programmes:detail", allowed=READERS),
    Route("programmes:edit", allowed=WRITERS),
    Route("programmes:status_create", allowed=WRITERS, kwargs=with_programmes, cross_org=False),
    Route("programmes:funding_create", allowed=WRITERS, kwargs=with_programmes, cross_org=False),
    Route("programmes:funding_edit", allowed=WRITERS, kwargs=funding_in, status=CROSS),
    Route("programmes:funding_delete", allowed=WRITERS, kwargs=funding_in, status=CROSS),
    Route("programmes:maturity", allowed=WRITERS),
]
