"""Helpers for tests: constant query counts, audit assertions."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from entrepairs.core.models import AccessEvent


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def assert_constant_queries(client, url, add_rows, small=5, large=50):
    """The page runs the same number of SQL queries with ``small`` and with ``large`` rows.

    ``add_rows(n)`` creates n more rows that the page lists.
    """
    add_rows(small)
    with_small = count_queries(client, url)
    add_rows(large - small)
    with_large = count_queries(client, url)
    assert with_small == with_large, (
        f"{url}: {with_small} requêtes SQL pour {small} lignes, {with_large} pour {large}"
    )


def last_access(object_type=None) -> AccessEvent | None:
    events = AccessEvent.objects.all()
    if object_type:
        events = events.filter(object_type=object_type)
    return events.order_by("-pk").first()
