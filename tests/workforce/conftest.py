import importlib

import pytest
from django.db import connection

from tests.browser.conftest import browser, page, phone_page  # noqa: F401

_triggers = importlib.import_module("entrepairs.core.migrations.0002_append_only_triggers")


@pytest.fixture(autouse=True)
def _empty_audit_tables_before_flush(request):
    """Transactional (browser) tests end with a flush, which SQLite runs as DELETE: the
    append-only triggers refuse it. Empty the audit tables with the triggers briefly off,
    then put them back, before the flush (PostgreSQL flushes with TRUNCATE: no trigger)."""
    if not request.node.get_closest_marker("browser"):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in _triggers.SQLITE_BACKWARD:
            cursor.execute(statement)
        cursor.execute("DELETE FROM core_accesseventrecord")
        cursor.execute("DELETE FROM core_accessevent")
        for statement in _triggers.SQLITE_FORWARD:
            cursor.execute(statement)
