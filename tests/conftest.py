import importlib

import pytest

from .personas import build_world


@pytest.fixture
def world(db):
    """Two organisations with one persona per role (see tests/personas.py)."""
    return build_world()


@pytest.fixture(autouse=True)
def _empty_audit_log_before_flush(request):
    """Transactional tests (browser journeys) end with a flush, which the append-only triggers
    refuse while the audit tables hold rows (SQLite: a DELETE; PostgreSQL: a TRUNCATE, refused
    unless the table is empty). Empty the audit tables with the triggers lifted for an
    instant (SQLite: dropped and put back; PostgreSQL: session_replication_role, superuser
    only): the flush then deletes no audit row."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so torn down (flushed) after
    yield
    from django.db import connection, transaction

    tables = ("core_accesseventrecord", "core_accessevent")
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 fixed table names
        return
    if connection.vendor != "sqlite":
        return
    triggers = importlib.import_module("entrepairs.core.migrations.0002_append_only_triggers")
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_BACKWARD:
            cursor.execute(statement)
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 fixed table names
        for statement in triggers.SQLITE_FORWARD:
            cursor.execute(statement)


@pytest.fixture(autouse=True)
def _shipped_defaults_back_after_a_flush(request):
    """The workforce data migration ships rows every database has (the example salary grid, the
    default code of conduct and competency framework); the demo and several tests draw on them.
    A transactional test run earlier by the same worker (a browser journey on the live server,
    ``pytest -n 2 --dist loadfile``) ends with a flush that deletes them: put them back."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    from entrepairs.workforce.defaults import ensure_shipped_defaults

    ensure_shipped_defaults()
