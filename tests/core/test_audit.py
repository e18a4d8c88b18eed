# ruff: noqa: S608 -- the attacks are fixed SQL written by the test, no input
import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from entrepairs.core.audit import log_access
from entrepairs.core.models import AccessEvent, AccessEventRecord, Action, AppendOnlyError
from entrepairs.workforce.models import PeerWorker


def make_request(world, persona):
    request = RequestFactory().get("/une/page/")
    request.user = world.user(persona)
    request.membership = world.membership(persona)
    request.request_id = "req-1"
    return request


def test_log_access_records_who_what_and_which_ids(world):
    peers = list(PeerWorker.objects.all())
    event = log_access(make_request(world, "coordinator_a"), Action.LIST, peers)
    assert event.user == world.user("coordinator_a")
    assert event.organisation == world.org_a
    assert event.role == "coordinator"
    assert event.object_type == "workforce.peerworker"
    assert sorted(event.object_ids) == sorted(p.pk for p in peers)
    assert event.request_id == "req-1"
    assert event.path == "/une/page/"
    peer = peers[0]
    assert AccessEvent.objects.about("workforce.peerworker", peer.pk).get() == event


def test_log_access_uses_a_constant_number_of_queries(world, django_assert_num_queries):
    """Two statements on PostgreSQL (reserve the link of the chain under its lock, then the
    event and its records together), three on SQLite (head, event, records)."""
    peers = list(PeerWorker.objects.all())
    assert len(peers) > 1
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 3):
        log_access(make_request(world, "coordinator_a"), Action.LIST, peers)
    assert AccessEventRecord.objects.filter(object_type="workforce.peerworker").count() == len(
        peers
    )


def test_log_access_without_ids_still_records_the_event(world):
    event = log_access(make_request(world, "coordinator_a"), Action.LIST, model=PeerWorker, ids=[])
    assert AccessEvent.objects.get(pk=event.pk).object_ids == []
    assert not AccessEventRecord.objects.filter(event=event).exists()


def test_access_events_cannot_be_changed_or_deleted_through_the_orm(world):
    event = log_access(make_request(world, "coordinator_a"), Action.VIEW, world.peer("peer_a"))
    event.action = "delete"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(action="list")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessEventRecord.objects.all().delete()
    assert AccessEvent.objects.get(pk=event.pk).action == "view"


COLUMNS = (
    "created_at, user_id, by_person, organisation_id, role, action, object_type, object_ids, "
    "request_id, path, previous_hash, hash"
)
AS_LIST = COLUMNS.replace("action", "'list'")  # the same row, its action rewritten
HEAD = "(SELECT max(id) FROM core_accessevent)"
BOTH = {"postgresql", "sqlite"}
REFUSED = r"append-only table|does not extend the chain"

ATTACKS = [
    ("update-event", BOTH, "UPDATE core_accessevent SET action = 'list'"),
    ("delete-event", BOTH, "DELETE FROM core_accessevent"),
    ("delete-records", BOTH, "DELETE FROM core_accesseventrecord"),
    ("update-records", BOTH, "UPDATE core_accesseventrecord SET object_id = 0"),
    # An upsert goes through the UPDATE path (or, here, is refused before it).
    (
        "upsert-event",
        BOTH,
        f"INSERT INTO core_accessevent (id, {COLUMNS}) SELECT id, {COLUMNS} "
        "FROM core_accessevent WHERE true ON CONFLICT (id) DO UPDATE SET action = 'list'",
    ),
    (
        "upsert-records",
        BOTH,
        "INSERT INTO core_accesseventrecord (id, event_id, object_type, object_id) "
        "SELECT id, event_id, object_type, 0 FROM core_accesseventrecord WHERE true "
        "ON CONFLICT (id) DO UPDATE SET object_id = 0",
    ),
    # Replaying the head under a new id: it does not point at the head, the trigger refuses it.
    (
        "replay-head",
        BOTH,
        f"INSERT INTO core_accessevent (id, {COLUMNS}) SELECT id + 1000, {COLUMNS} "
        f"FROM core_accessevent WHERE id = {HEAD}",
    ),
    # An event slipped in below the head (here under id 0).
    (
        "insert-below-head",
        BOTH,
        f"INSERT INTO core_accessevent (id, {COLUMNS}) SELECT 0, {COLUMNS} "
        f"FROM core_accessevent WHERE id = {HEAD}",
    ),
    # PostgreSQL: row triggers do not see TRUNCATE; a statement trigger does, cascades too.
    ("truncate-both", {"postgresql"}, "TRUNCATE core_accessevent, core_accesseventrecord"),
    ("truncate-records", {"postgresql"}, "TRUNCATE core_accesseventrecord"),
    ("truncate-cascade", {"postgresql"}, "TRUNCATE core_accessevent CASCADE"),
    ("truncate-users-cascade", {"postgresql"}, "TRUNCATE accounts_user CASCADE"),
    # SQLite: REPLACE deletes the old row without firing the DELETE trigger (recursive
    # triggers are off), then inserts the new one: the INSERT triggers refuse it.
    (
        "insert-or-replace-event",
        {"sqlite"},
        f"INSERT OR REPLACE INTO core_accessevent (id, {COLUMNS}) "
        f"SELECT id, {AS_LIST} FROM core_accessevent",
    ),
    (
        "replace-event",
        {"sqlite"},
        f"REPLACE INTO core_accessevent (id, {COLUMNS}) SELECT id, {AS_LIST} FROM core_accessevent",
    ),
    (
        "insert-or-replace-records",
        {"sqlite"},
        "INSERT OR REPLACE INTO core_accesseventrecord (id, event_id, object_type, object_id) "
        "SELECT id, event_id, object_type, 0 FROM core_accesseventrecord",
    ),
    (
        "replace-records",
        {"sqlite"},
        "REPLACE INTO core_accesseventrecord (id, event_id, object_type, object_id) "
        "SELECT id, event_id, object_type, 0 FROM core_accesseventrecord",
    ),
]


@pytest.mark.parametrize(("vendors", "sql"), [a[1:] for a in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_the_database_itself_refuses_changes_to_the_audit(world, vendors, sql):
    if connection.vendor not in vendors:
        pytest.skip(f"{connection.vendor} n'a pas cette instruction")
    request = make_request(world, "coordinator_a")
    log_access(request, Action.VIEW, world.peer("peer_a"))
    log_access(request, Action.LIST, list(PeerWorker.objects.all()))
    before = list(AccessEvent.objects.values_list("pk", "action", "hash"))
    records = list(AccessEventRecord.objects.values_list("pk", "event_id", "object_id"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Run the deferred foreign key checks now, as if the rows had been committed:
            # otherwise TRUNCATE fails on "pending trigger events", not on our trigger.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        else:
            cursor.execute("PRAGMA recursive_triggers")
            assert cursor.fetchone()[0] == 0  # the DELETE trigger does not see a REPLACE
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert list(AccessEvent.objects.values_list("pk", "action", "hash")) == before
    assert list(AccessEventRecord.objects.values_list("pk", "event_id", "object_id")) == records


def test_an_event_written_without_log_access_is_refused(world):
    """The ORM (a shell, a fixture) cannot add an event outside the chain."""
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        AccessEvent.objects.create(action=Action.VIEW, object_type="workforce.peerworker")
    assert not AccessEvent.objects.exists()
