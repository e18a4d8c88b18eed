import importlib

import pytest

from .personas import build_world


@pytest.fixture
def world(db):
    """Two organisations with one persona per role (see tests/personas.py)."""
    return build_world()


@pytest.fixture(autouse=True)
def _empty_audit_log_before_flush(request):
    """Transactional tests (browser journeys) end with a flush, which on SQLite is a DELETE that
    the append-only triggers refuse. Empty the audit tables with the triggers lifted for an
    instant, then put them back: the flush then deletes no audit row. (On PostgreSQL the flush
    is a TRUNCATE, which row triggers do not see.)"""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so torn down (flushed) after
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    triggers = importlib.import_module("entrepairs.core.migrations.0002_append_only_triggers")
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_BACKWARD:
            cursor.execute(statement)
        for table in ("core_accesseventrecord", "core_accessevent"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 fixed table names
        for statement in triggers.SQLITE_FORWARD:
            cursor.execute(statement)
