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
    """One statement on PostgreSQL (event and records together), two on SQLite."""
    peers = list(PeerWorker.objects.all())
    assert len(peers) > 1
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
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


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_accessevent SET action = 'list'",
        "DELETE FROM core_accessevent",
        "DELETE FROM core_accesseventrecord",
    ],
)
def test_the_database_itself_refuses_changes_to_the_audit(world, sql):
    log_access(make_request(world, "coordinator_a"), Action.VIEW, world.peer("peer_a"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AccessEvent.objects.filter(action="view").count() == 1
