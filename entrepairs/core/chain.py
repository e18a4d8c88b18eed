"""The hash chain of the audit log, and its verification (``manage.py verify_audit``).

Each ``AccessEvent`` carries ``previous_hash`` (the ``hash`` of the event before it, by id) and
``hash``: sha256 of a canonical serialisation of its own content, its id and ``previous_hash``.
Its ``AccessEventRecord`` rows are covered through ``object_type`` and ``object_ids``: the
verification checks that an event's records are exactly one row per id of ``object_ids``.

Changing an event changes its hash; deleting one leaves its successor pointing at a hash that is
no longer there; inserting one between two events leaves the second pointing past it. What the
chain alone cannot see is a suffix rewritten by someone who recomputes every hash after it, or
events removed from the end: ``--anchor`` checks heads noted outside the database earlier.

The serialisation below is frozen: changing it would break every chain already written. A new
format needs a new version number, and the verification has to keep reading the old one.
"""

import datetime
import hashlib
import json
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction

GENESIS = "0" * 64
VERSION = 1

# The columns the hash covers, in this order (the id and previous_hash are added around them).
CONTENT_FIELDS = (
    "created_at",
    "user_id",
    "by_person",
    "organisation_id",
    "role",
    "action",
    "object_type",
    "object_ids",
    "request_id",
    "path",
)

AUDIT_TABLES = ("core_accessevent", "core_accesseventrecord")

# Triggers that protect the audit tables (see migration 0003_audit_chain).
EXPECTED_TRIGGERS = {
    "postgresql": {
        "core_accessevent_append_only",
        "core_accesseventrecord_append_only",
        "core_accessevent_no_truncate",
        "core_accesseventrecord_no_truncate",
        "core_accessevent_chain",
    },
    "sqlite": {
        "core_accessevent_no_update",
        "core_accessevent_no_delete",
        "core_accesseventrecord_no_update",
        "core_accesseventrecord_no_delete",
        "core_accessevent_chain",
        "core_accesseventrecord_no_replace",
    },
}


_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))
_UTC = datetime.UTC


def event_hash(event_id: int, previous_hash: str, content: dict) -> str:
    """sha256 (hex) of one event: version, id, previous hash, then ``CONTENT_FIELDS``.

    The serialisation is a compact ASCII JSON array; the time is UTC ISO 8601 with
    microseconds (``2026-01-01T09:30:00.000000+00:00``), ids are integers, booleans JSON.
    """
    return _digest(
        event_id,
        previous_hash,
        content["created_at"],
        content["user_id"],
        content["by_person"],
        content["organisation_id"],
        content["role"],
        content["action"],
        content["object_type"],
        content["object_ids"],
        content["request_id"],
        content["path"],
    )


def _digest(
    event_id,
    previous_hash,
    created_at,
    user_id,
    by_person,
    organisation_id,
    role,
    action,
    object_type,
    object_ids,
    request_id,
    path,
) -> str:
    serialised = _ENCODER.encode(
        [
            VERSION,
            int(event_id),
            previous_hash,
            created_at.astimezone(_UTC).isoformat(timespec="microseconds"),
            user_id,
            bool(by_person),
            organisation_id,
            str(role),
            str(action),
            object_type,
            [int(pk) for pk in object_ids],
            request_id,
            path,
        ]
    )
    return hashlib.sha256(serialised.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Break:
    """One place where the log is not what was written.

    ``kind``: ``changed`` (content differs from its hash, or forged), ``records`` (its
    AccessEventRecord rows differ from its ids), ``inserted`` (not part of the chain),
    ``deleted`` (the event before it is missing, or was rewritten with a recomputed hash),
    ``orphan`` (records of an event that does not exist), ``anchor`` (a head noted earlier is
    gone or differs), ``protection`` (a trigger is missing or disabled).
    """

    kind: str
    event_id: int | None
    message: str

    def __str__(self):
        where = f"événement {self.event_id}" if self.event_id is not None else "journal"
        return f"RUPTURE {self.kind} {where} : {self.message}"


@dataclass
class Report:
    checked: int = 0
    head_id: int | None = None
    head_hash: str = GENESIS
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def missing_protections() -> list[Break]:
    """Triggers of the audit tables that are absent or disabled."""
    vendor = connection.vendor
    expected = EXPECTED_TRIGGERS.get(vendor)
    if expected is None:
        return []
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgenabled FROM pg_trigger "
                "WHERE tgrelid IN ('core_accessevent'::regclass, 'core_accesseventrecord'::regclass) "
                "AND NOT tgisinternal"
            )
            found = {name: enabled in ("O", "A") for name, enabled in cursor.fetchall()}
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
                AUDIT_TABLES,
            )
            found = {name: True for (name,) in cursor.fetchall()}
    breaks = []
    for name in sorted(expected):
        if name not in found:
            breaks.append(Break("protection", None, f"le trigger {name} n'existe plus"))
        elif not found[name]:
            breaks.append(Break("protection", None, f"le trigger {name} est désactivé"))
    return breaks


def _records_by_event(records: Iterator) -> Iterator:
    """Group (event_id, object_type, object_id) rows, sorted by event_id, per event."""
    current, group = None, []
    for event_id, object_type, object_id in records:
        if event_id != current:
            if current is not None:
                yield current, group
            current, group = event_id, []
        group.append((object_type, object_id))
    if current is not None:
        yield current, group


def verify_chain(
    anchors: Iterable[tuple[int, str]] = (), *, window: int = 10_000, chunk_size: int = 5_000
) -> Report:
    """Walk the whole log in id order, streaming, and report every break.

    Events written after the walk starts are not looked at (the walk stops at the last id
    seen at the start). ``window`` is how far back an insertion is recognised.
    """
    # One transaction: both streams read the same snapshot (REPEATABLE READ on PostgreSQL),
    # and PostgreSQL's server-side cursors stream instead of being materialised WITH HOLD.
    fresh = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and fresh:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _verify(anchors, window, chunk_size)


def _verify(anchors, window, chunk_size) -> Report:
    from .models import AccessEvent, AccessEventRecord

    report = Report()
    report.breaks.extend(missing_protections())
    last = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    if last is None:
        _check_anchors(report, anchors, {})
        return report
    columns = ", ".join(("id", "previous_hash", "hash", *CONTENT_FIELDS))
    events = _stream(
        f"SELECT {columns} FROM core_accessevent WHERE id <= %s ORDER BY id",  # noqa: S608
        [last],
        chunk_size,
    )
    records = _records_by_event(
        _stream(
            "SELECT event_id, object_type, object_id FROM core_accesseventrecord "
            "WHERE event_id <= %s ORDER BY event_id, id",
            [last],
            chunk_size * 4,
        )
    )
    pending = next(records, None)
    anchor_ids = {int(pk) for pk, _ in anchors}
    anchor_hashes = {}
    expected_previous, previous_id = GENESIS, None
    recent = deque(maxlen=window)  # (id, hash) of the last events walked
    recent_index = {}  # hash -> id, for the events in ``recent``
    for row in events:
        event_id, previous_hash, stored_hash = row[0], row[1], row[2]
        report.checked += 1
        if event_id in anchor_ids:
            anchor_hashes[event_id] = stored_hash
        try:
            created_at, by_person, object_ids = _parse(row[3], row[5], row[10])
            object_type = row[9]
            digest = _digest(
                event_id, previous_hash, created_at, row[4], by_person, *row[6:10],
                object_ids, *row[11:],
            )  # fmt: skip
        except (TypeError, ValueError, AttributeError):
            digest, object_type, object_ids = None, None, []
        if digest != stored_hash:
            report.breaks.append(
                Break(
                    "changed",
                    event_id,
                    "son contenu ne correspond plus à son empreinte (modifié, ou forgé)",
                )
            )

        got = []
        while pending is not None and pending[0] < event_id:
            _orphans(report, *pending)
            pending = next(records, None)
        if pending is not None and pending[0] == event_id:
            got = pending[1]
            pending = next(records, None)
        if len(got) != len(object_ids) or sorted(got) != sorted(
            (object_type, int(pk)) for pk in object_ids
        ):
            report.breaks.append(
                Break(
                    "records",
                    event_id,
                    f"ses lignes d'enregistrements touchés ont changé ({len(object_ids)} "
                    f"attendues, {len(got)} trouvées, ou différentes)",
                )
            )

        if previous_hash != expected_previous:
            if previous_hash in recent_index:
                # It points at an earlier event: those walked since are not in the chain.
                anchor_id = recent_index[previous_hash]
                for walked_id, _ in recent:
                    if walked_id > anchor_id:
                        report.breaks.append(
                            Break(
                                "inserted",
                                walked_id,
                                f"il ne fait pas partie de la chaîne : l'événement {event_id} "
                                f"suit directement l'événement {anchor_id}",
                            )
                        )
            else:
                where = (
                    f"entre l'événement {previous_id} et lui"
                    if previous_id is not None
                    else "avant lui (début du journal)"
                )
                report.breaks.append(
                    Break(
                        "deleted",
                        event_id,
                        f"son prédécesseur n'est plus là : événement(s) supprimé(s) {where}, "
                        "ou prédécesseur réécrit avec une empreinte recalculée",
                    )
                )
        expected_previous, previous_id = stored_hash, event_id
        if len(recent) == recent.maxlen:
            old_id, old_hash = recent[0]
            if recent_index.get(old_hash) == old_id:
                del recent_index[old_hash]
        recent.append((event_id, stored_hash))
        recent_index[stored_hash] = event_id

    while pending is not None:
        _orphans(report, *pending)
        pending = next(records, None)
    orphans_after = (
        AccessEventRecord.objects.filter(event_id__gt=last)
        .exclude(event_id__in=AccessEvent.objects.values("pk"))
        .values_list("event_id", "object_type", "object_id")
    )
    for event_id, group in _records_by_event(iter(orphans_after.order_by("event_id"))):
        _orphans(report, event_id, group)
    report.head_id, report.head_hash = previous_id, expected_previous
    _check_anchors(report, anchors, anchor_hashes)
    return report


def _stream(sql: str, params: list, size: int) -> Iterator[tuple]:
    """Rows of ``sql`` a chunk at a time (a server-side cursor on PostgreSQL)."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield from rows


def _parse(created_at, by_person, object_ids):
    """Raw column values as the ORM would give them (SQLite stores text and integers)."""
    if isinstance(created_at, str):  # SQLite: "2026-01-01 09:30:00.000000"
        created_at = datetime.datetime.fromisoformat(created_at)
    if created_at.tzinfo is None:  # SQLite stores naive UTC
        created_at = created_at.replace(tzinfo=_UTC)
    if isinstance(object_ids, str | bytes):
        object_ids = json.loads(object_ids)
    if not isinstance(object_ids, list):
        raise TypeError("object_ids is not a list")
    return created_at, bool(by_person), object_ids


def _orphans(report: Report, event_id: int, group: list) -> None:
    report.breaks.append(
        Break(
            "orphan",
            event_id,
            f"{len(group)} ligne(s) d'enregistrements touchés pour un événement qui n'existe pas",
        )
    )


def _check_anchors(report: Report, anchors, found: dict) -> None:
    for event_id, expected in anchors:
        event_id = int(event_id)
        if event_id not in found:
            report.breaks.append(
                Break("anchor", event_id, "l'événement noté comme tête n'existe plus")
            )
        elif found[event_id] != expected:
            report.breaks.append(
                Break(
                    "anchor",
                    event_id,
                    f"son empreinte n'est plus celle notée ({expected[:12]}… attendue, "
                    f"{found[event_id][:12]}… trouvée) : la suite de la chaîne a été réécrite",
                )
            )
