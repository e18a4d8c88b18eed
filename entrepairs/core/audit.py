"""The small API every view that shows personal data calls: ``log_access``.

A list logs the ids it showed, an export the ids it exported. The number of SQL statements
does not depend on the number of rows, so that list pages keep a constant query count: two
on PostgreSQL (reserve the next link of the chain, then insert the event and its records in
one statement), three on SQLite (read the head, insert the event, insert its records).

Each event extends the hash chain (see ``chain.py``). Two requests logging at once must not
both take the same head: on PostgreSQL ``entrepairs_audit_reserve()`` takes a transaction
advisory lock before it reads the head and draws the id, so events are chained in the order
of their ids and the lock is held until the transaction that logs commits. On SQLite a
transaction that read a head another writer has since moved cannot write (SQLITE_BUSY). In
both, a trigger refuses an event whose id is not after the last one or whose previous_hash is
not the head's hash.
"""

import json
import logging
from collections.abc import Iterable

from django.db import connection, models, transaction
from django.utils import timezone

from .chain import CONTENT_FIELDS, GENESIS, event_hash
from .models import WRITE_ACTIONS, AccessEvent, AccessEventRecord, Action
from .redaction import redact_tokens

logger = logging.getLogger("entrepairs.audit")


def object_type_of(model_or_instance) -> str:
    meta = model_or_instance._meta
    return f"{meta.app_label}.{meta.model_name}"


class AuditOutsideTransaction(RuntimeError):
    """A write was logged outside the transaction of the write: one could happen without
    the other."""


def log_access(
    request,
    action: Action,
    objects: Iterable[models.Model] | models.Model | None = None,
    *,
    model: type[models.Model] | None = None,
    ids: Iterable[int] | None = None,
) -> AccessEvent:
    """Record that the current user (or person) did ``action`` on ``objects``.

    Give either model instances (``objects``), or a ``model`` class and ``ids``. A write
    (create, update, delete) must be logged inside the ``transaction.atomic()`` block that
    does it, so that the change and its event are committed together or not at all.
    """
    if not isinstance(action, Action):
        raise TypeError(f"log_access attend une Action, pas {action!r}")
    if action in WRITE_ACTIONS and not connection.in_atomic_block:
        raise AuditOutsideTransaction(f"{action} journalisée hors de la transaction")
    if isinstance(objects, models.Model):
        objects = [objects]
    if objects is not None:
        objects = list(objects)
        ids = [obj.pk for obj in objects]
        if model is None and objects:
            model = type(objects[0])
    ids = [int(pk) for pk in (ids or [])]
    if model is None:
        raise ValueError("log_access needs objects or a model")
    object_type = object_type_of(model)
    membership = getattr(request, "membership", None)
    user = (
        request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    )
    event = AccessEvent(
        user=user,
        by_person=bool(getattr(request, "person_space", None)),
        organisation_id=membership.organisation_id if membership else None,
        # ``audit_role``: who reads through a link of their own (a plan's recipient, say).
        role=membership.role
        if membership
        else getattr(request, "audit_role", None) or ("person" if user is None else ""),
        action=action,
        object_type=object_type,
        object_ids=ids,
        request_id=getattr(request, "request_id", ""),
        # A link token never enters the log: ``audit_path`` is a view's own masking.
        path=redact_tokens(getattr(request, "audit_path", None) or request.path)[:300],
    )
    # savepoint=False: no SAVEPOINT round trips inside a caller's transaction; outside one,
    # a transaction of its own, which the PostgreSQL lock needs to last until the commit.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            _insert_in_one_statement(event)
        else:
            _insert_elsewhere(event)
    event._state.adding = False
    event._state.db = connection.alias
    return event


def _chain(event: AccessEvent, pk: int, previous_hash: str) -> None:
    """Give the event its id, its time and its link, once it holds the head of the chain."""
    event.pk = pk
    event.created_at = timezone.now()
    event.previous_hash = previous_hash
    content = {name: getattr(event, name) for name in CONTENT_FIELDS}
    event.hash = event_hash(pk, previous_hash, content)


# The event and its records in one atomic statement: data-modifying CTEs run even when the
# final SELECT does not read them. Columns are those of AccessEvent and AccessEventRecord.
INSERT_EVENT_AND_RECORDS = """
WITH event AS (
    INSERT INTO core_accessevent (id, created_at, user_id, by_person, organisation_id, role,
                                  action, object_type, object_ids, request_id, path,
                                  previous_hash, hash)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s)
    RETURNING id
), records AS (
    INSERT INTO core_accesseventrecord (event_id, object_type, object_id)
    SELECT event.id, %s, unnest(%s::bigint[]) FROM event
)
SELECT id FROM event
"""


def _insert_in_one_statement(event: AccessEvent) -> None:
    with connection.cursor() as cursor:
        # Waits for the chain's advisory lock, then reads the head and draws the next id.
        cursor.execute("SELECT next_id, head FROM entrepairs_audit_reserve()")
        next_id, head = cursor.fetchone()
        _chain(event, next_id, head or GENESIS)
        cursor.execute(
            INSERT_EVENT_AND_RECORDS,
            [
                event.pk,
                event.created_at,
                event.user_id,
                event.by_person,
                event.organisation_id,
                event.role,
                event.action,
                event.object_type,
                json.dumps(event.object_ids),
                event.request_id,
                event.path,
                event.previous_hash,
                event.hash,
                event.object_type,
                event.object_ids,
            ],
        )
        cursor.fetchone()


INSERT_EVENT = """
INSERT INTO core_accessevent (id, created_at, user_id, by_person, organisation_id, role, action,
                              object_type, object_ids, request_id, path, previous_hash, hash)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
"""


def _insert_elsewhere(event: AccessEvent) -> None:
    """SQLite: read the head, insert the event (raw: ``auto_now_add`` would change its time
    after it was hashed), then its records."""
    field = AccessEvent._meta.get_field
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, hash FROM core_accessevent ORDER BY id DESC LIMIT 1")
        head = cursor.fetchone()
        _chain(event, (head[0] if head else 0) + 1, head[1] if head else GENESIS)
        cursor.execute(
            INSERT_EVENT,
            [
                event.pk,
                field("created_at").get_db_prep_value(event.created_at, connection),
                event.user_id,
                event.by_person,
                event.organisation_id,
                event.role,
                event.action,
                event.object_type,
                field("object_ids").get_db_prep_value(event.object_ids, connection),
                event.request_id,
                event.path,
                event.previous_hash,
                event.hash,
            ],
        )
    AccessEventRecord.objects.bulk_create(
        AccessEventRecord(event_id=event.pk, object_type=event.object_type, object_id=pk)
        for pk in event.object_ids
    )
