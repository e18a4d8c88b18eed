"""Migration 0003 chains the events written before it, and puts every trigger back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from entrepairs.core.audit import log_access
from entrepairs.core.chain import GENESIS, verify_chain
from entrepairs.core.models import AccessEvent, Action
from tests.core.test_audit import make_request

BEFORE = [("core", "0002_append_only_triggers")]
AFTER = [("core", "0003_audit_chain")]


@pytest.mark.django_db(transaction=True)
def test_the_events_written_before_the_chain_are_chained_by_the_migration(world):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldEvent = old.get_model("core", "AccessEvent")  # noqa: N806
    OldRecord = old.get_model("core", "AccessEventRecord")  # noqa: N806
    for i in range(7):
        event = OldEvent.objects.create(
            user_id=world.user("coordinator_a").pk,
            organisation_id=world.org_a.pk,
            role="coordinator",
            action="view" if i % 2 else "list",
            object_type="accompaniment.person",
            object_ids=[i, i + 10],
            path=f"/personnes/{i}/",
        )
        for pk in (i, i + 10):
            OldRecord.objects.create(event=event, object_type="accompaniment.person", object_id=pk)

    MigrationExecutor(connection).migrate(AFTER)

    report = verify_chain()  # protections included: every trigger is back
    assert report.ok, [str(b) for b in report.breaks]
    assert report.checked == 7
    first = AccessEvent.objects.order_by("pk").first()
    assert first.previous_hash == GENESIS and len(first.hash) == 64
    event = log_access(make_request(world, "coordinator_a"), Action.VIEW, world.peer("peer_a"))
    assert event.previous_hash == report.head_hash
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_going_back_before_the_chain_keeps_the_log_append_only(db):
    """Unapplying 0003 keeps the UPDATE/DELETE triggers of 0002 (on SQLite, removing a column
    rebuilds the table and would drop them)."""
    MigrationExecutor(connection).migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
                    "('core_accessevent'::regclass, 'core_accesseventrecord'::regclass)"
                )
                expected = {"core_accessevent_append_only", "core_accesseventrecord_append_only"}
            else:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                expected = {
                    f"{t}_no_{op}"
                    for t in ("core_accessevent", "core_accesseventrecord")
                    for op in ("update", "delete")
                }
            names = {name for (name,) in cursor.fetchall()}
        assert expected <= names
        assert not {"core_accessevent_chain", "core_accessevent_no_truncate"} & names
    finally:
        MigrationExecutor(connection).migrate(AFTER)
    assert verify_chain().ok
