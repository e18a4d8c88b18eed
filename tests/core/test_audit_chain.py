"""The hash chain of the audit log and ``manage.py verify_audit``.

Each tampering test does what an administrator with full database access would: lift the
triggers (PostgreSQL: ``session_replication_role = replica`` or ``ALTER TABLE … DISABLE
TRIGGER ALL``, superuser only; SQLite: drop them), rewrite the rows with raw SQL, put the
triggers back, then run ``verify_audit`` and check it names the break: which event, what kind.
"""

# ruff: noqa: S608 -- the tampering is fixed SQL written by the test, no input

import io
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from entrepairs.core.audit import log_access
from entrepairs.core.chain import CONTENT_FIELDS, GENESIS, event_hash, verify_chain
from entrepairs.core.models import AccessEvent, AccessEventRecord, Action
from entrepairs.workforce.models import PeerWorker
from tests.core.test_audit import make_request
from tests.evaluation.factories import consenting_person, space_token

SQLITE_TRIGGERS = __import__(
    "entrepairs.core.migrations.0003_audit_chain", fromlist=["SQLITE_TRIGGERS"]
).SQLITE_TRIGGERS


@contextmanager
def triggers_lifted():
    """The triggers of the audit tables off, as a superuser can do; back on afterwards."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            try:
                yield cursor
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")
        else:
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")
            try:
                yield cursor
            finally:
                for statement in SQLITE_TRIGGERS.values():
                    cursor.execute(statement)


def verify(*args) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as error:
        return False, out.getvalue() + str(error)
    return True, out.getvalue()


def breaks(*args) -> set[tuple[str, int | None]]:
    """(kind, event id) of each break named by verify_audit, read from its output."""
    ok, output = verify(*args)
    found = set()
    for line in output.splitlines():
        if line.startswith("RUPTURE "):
            _, kind, where, *_ = line.split(" ")
            event = line.split(" ")[3] if where == "événement" else None
            found.add((kind, int(event) if event else None))
    assert ok == (not found), output
    return found


@pytest.fixture
def events(world):
    """Four events by a coordinator: a view, a list, a view, a list."""
    request = make_request(world, "coordinator_a")
    peers = list(PeerWorker.objects.order_by("pk"))
    assert len(peers) > 1
    return [
        log_access(request, Action.VIEW, peers[0]),
        log_access(request, Action.LIST, peers),
        log_access(request, Action.VIEW, peers[1]),
        log_access(request, Action.LIST, peers),
    ]


def stored_hash_of(pk: int) -> str:
    return AccessEvent.objects.values_list("hash", flat=True).get(pk=pk)


def recomputed(pk: int, previous_hash: str) -> str:
    content = dict(
        zip(
            CONTENT_FIELDS,
            AccessEvent.objects.filter(pk=pk).values_list(*CONTENT_FIELDS).get(),
            strict=True,
        )
    )
    return event_hash(pk, previous_hash, content)


def test_each_event_carries_the_hash_of_the_one_before(events):
    stored = list(AccessEvent.objects.order_by("pk").values_list("pk", "previous_hash", "hash"))
    assert [pk for pk, _, _ in stored] == [e.pk for e in events]
    assert stored[0][1] == GENESIS
    for (_, _, before), (_, previous, _) in zip(stored, stored[1:], strict=False):
        assert previous == before
    for pk, previous, digest in stored:
        assert len(digest) == 64 and recomputed(pk, previous) == digest
    assert [(e.previous_hash, e.hash) for e in events] == [(p, h) for _, p, h in stored]


def test_verify_audit_passes_on_an_intact_log_and_prints_its_head(events):
    ok, output = verify()
    assert ok, output
    assert "4 événements vérifiés" in output
    assert f"Tête : {events[-1].pk}:{events[-1].hash}" in output
    assert "Journal des accès intact." in output
    assert verify(f"--anchor={events[1].pk}:{events[1].hash}")[0]


def test_verify_audit_on_an_empty_log(db):
    ok, output = verify()
    assert ok and "0 événements vérifiés" in output


def test_every_protection_of_the_audit_tables_is_installed(db):
    """After all migrations (a rebuild of a table on SQLite drops its triggers)."""
    assert verify_chain().breaks == []


def test_a_changed_event_is_named(events):
    with triggers_lifted() as cursor:
        cursor.execute(
            "UPDATE core_accessevent SET role = 'peer', path = '/ailleurs/' WHERE id = %s",
            [events[1].pk],
        )
    assert breaks() == {("changed", events[1].pk)}


def test_changed_records_are_named(events):
    with triggers_lifted() as cursor:
        cursor.execute(
            "UPDATE core_accesseventrecord SET object_id = 424242 "
            "WHERE id = (SELECT min(id) FROM core_accesseventrecord WHERE event_id = %s)",
            [events[1].pk],
        )
    assert breaks() == {("records", events[1].pk)}


def test_records_added_to_an_event_are_named(events):
    with triggers_lifted() as cursor:
        cursor.execute(
            "INSERT INTO core_accesseventrecord (event_id, object_type, object_id) "
            "VALUES (%s, 'accompaniment.person', 1)",
            [events[2].pk],
        )
    assert breaks() == {("records", events[2].pk)}


def test_an_access_hidden_from_the_person_is_named(world, client):
    """The person's page reads AccessEventRecord: deleting the rows of one access hides it
    from the person without touching the event. verify_audit names the event."""
    person = consenting_person(world)
    world.client("coordinator_a").get(reverse("evaluation:person_space_link", args=[person.pk]))
    seen = AccessEvent.objects.about("accompaniment.person", person.pk).get()
    token = space_token(world, person=person)
    page = client.get(reverse("evaluation:space", args=[token])).content.decode()
    assert "coordinateur·rice" in page
    assert verify()[0]
    with triggers_lifted() as cursor:
        cursor.execute("DELETE FROM core_accesseventrecord WHERE event_id = %s", [seen.pk])
    page = client.get(reverse("evaluation:space", args=[token])).content.decode()
    assert "coordinateur·rice" not in page
    assert breaks() == {("records", seen.pk)}


def test_a_deleted_event_is_named_by_its_successor(events):
    with triggers_lifted() as cursor:
        cursor.execute("DELETE FROM core_accesseventrecord WHERE event_id = %s", [events[1].pk])
        cursor.execute("DELETE FROM core_accessevent WHERE id = %s", [events[1].pk])
    ok, output = verify()
    assert not ok
    assert f"entre l'événement {events[0].pk} et lui" in output
    assert breaks() == {("deleted", events[2].pk)}


def test_the_first_events_deleted_are_named(events):
    with triggers_lifted() as cursor:
        cursor.execute("DELETE FROM core_accesseventrecord WHERE event_id <= %s", [events[1].pk])
        cursor.execute("DELETE FROM core_accessevent WHERE id <= %s", [events[1].pk])
    assert breaks() == {("deleted", events[2].pk)}


def test_an_event_deleted_without_its_records_leaves_orphans(events):
    with triggers_lifted() as cursor:  # foreign keys are triggers too on PostgreSQL
        cursor.execute("DELETE FROM core_accessevent WHERE id = %s", [events[1].pk])
    assert breaks() == {("deleted", events[2].pk), ("orphan", events[1].pk)}
    with triggers_lifted() as cursor:  # the test database checks its foreign keys at the end
        cursor.execute("DELETE FROM core_accesseventrecord WHERE event_id = %s", [events[1].pk])


def test_an_event_forged_at_the_end_is_named(events):
    head = events[-1]
    with triggers_lifted() as cursor:
        cursor.execute(
            "INSERT INTO core_accessevent (id, created_at, user_id, by_person, organisation_id, "
            "role, action, object_type, object_ids, request_id, path, previous_hash, hash) "
            "SELECT id + 1, created_at, user_id, by_person, organisation_id, role, 'export', "
            "object_type, object_ids, request_id, path, hash, hash FROM core_accessevent "
            "WHERE id = %s",
            [head.pk],
        )
    assert breaks() == {("changed", head.pk + 1), ("records", head.pk + 1)}


@pytest.mark.postgres_only
def test_an_event_inserted_between_two_is_named(world):
    """PostgreSQL ids have gaps (a rolled-back transaction keeps its id). An event forged
    into a gap, even with a hash computed the right way, is not part of the chain."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite ids have no gaps: an insertion there rewrites an id (changed)")
    request = make_request(world, "coordinator_a")
    peer = world.peer("peer_a")
    first = log_access(request, Action.VIEW, peer)
    with pytest.raises(RuntimeError), transaction.atomic():
        gap = log_access(request, Action.VIEW, peer)
        raise RuntimeError("rolled back")
    after = log_access(request, Action.VIEW, peer)
    assert first.pk < gap.pk < after.pk and after.previous_hash == first.hash
    with triggers_lifted() as cursor:
        cursor.execute(
            "INSERT INTO core_accessevent (id, created_at, user_id, by_person, organisation_id, "
            "role, action, object_type, object_ids, request_id, path, previous_hash, hash) "
            "SELECT %s, created_at, user_id, by_person, organisation_id, role, 'export', "
            "object_type, '[]'::jsonb, request_id, path, hash, '' FROM core_accessevent "
            "WHERE id = %s",
            [gap.pk, first.pk],
        )
        cursor.execute(
            "UPDATE core_accessevent SET hash = %s WHERE id = %s",
            [recomputed(gap.pk, first.hash), gap.pk],
        )
    assert breaks() == {("inserted", gap.pk)}


def test_a_suffix_rewritten_with_recomputed_hashes_is_caught_by_an_anchor(events):
    """The limit of a chain without a secret: whoever rewrites an event and recomputes every
    hash after it leaves a consistent chain. A head noted earlier, outside the database,
    catches it: its hash is no longer the same."""
    noted = events[-1]
    with triggers_lifted() as cursor:
        cursor.execute("UPDATE core_accessevent SET role = 'peer' WHERE id = %s", [events[1].pk])
        previous = events[0].hash
        for event in events[1:]:
            digest = recomputed(event.pk, previous)
            cursor.execute(
                "UPDATE core_accessevent SET previous_hash = %s, hash = %s WHERE id = %s",
                [previous, digest, event.pk],
            )
            previous = digest
    assert breaks() == set()
    assert breaks(f"--anchor={noted.pk}:{noted.hash}") == {("anchor", noted.pk)}


def test_events_removed_from_the_end_are_caught_by_an_anchor(events):
    noted = events[-1]
    with triggers_lifted() as cursor:
        cursor.execute("DELETE FROM core_accesseventrecord WHERE event_id = %s", [noted.pk])
        cursor.execute("DELETE FROM core_accessevent WHERE id = %s", [noted.pk])
    assert breaks() == set()
    ok, output = verify(f"--anchor={noted.pk}:{noted.hash}")
    assert not ok and "l'événement noté comme tête n'existe plus" in output


def test_a_trigger_left_off_is_named(events):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as if the rows were committed
            cursor.execute("ALTER TABLE core_accesseventrecord DISABLE TRIGGER ALL")
        else:
            cursor.execute("DROP TRIGGER core_accesseventrecord_no_delete")
    ok, output = verify()
    assert not ok
    if connection.vendor == "postgresql":
        assert (
            "RUPTURE protection journal : le trigger core_accesseventrecord_append_only est désactivé"
            in output
        )
        assert "core_accesseventrecord_no_truncate est désactivé" in output
    else:
        assert "le trigger core_accesseventrecord_no_delete n'existe plus" in output


def test_a_bad_anchor_is_refused(db):
    with pytest.raises(CommandError, match="Ancre invalide"):
        call_command("verify_audit", "--anchor=12:abc", stdout=io.StringIO())


def test_log_access_continues_the_chain_after_a_refused_write(events, world):
    """A write that rolls back takes its event with it: the next event links to the last
    committed one, and the chain stays whole."""
    with pytest.raises(RuntimeError), transaction.atomic():
        log_access(make_request(world, "coordinator_a"), Action.UPDATE, world.peer("peer_a"))
        raise RuntimeError("the write failed")
    after = log_access(make_request(world, "coordinator_a"), Action.VIEW, world.peer("peer_a"))
    assert after.previous_hash == events[-1].hash
    assert verify()[0]
    assert AccessEventRecord.objects.filter(event=after).count() == 1


def test_a_request_without_membership_is_chained_too(db):
    request = RequestFactory().get("/mon-espace/x/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    event = log_access(request, Action.VIEW, model=PeerWorker, ids=[3, 1, 2])
    assert event.role == "person" and event.previous_hash == GENESIS
    assert verify()[0]
