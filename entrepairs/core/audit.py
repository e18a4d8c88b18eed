"""The small API every view that shows personal data calls: ``log_access``.

A list logs the ids it showed, an export the ids it exported. One SQL statement per call on
PostgreSQL (two elsewhere) whatever the number of rows, so that list pages keep a constant
query count and every page pays one round trip for its audit.
"""

import json
import logging
from collections.abc import Iterable

from django.db import connection, models
from django.utils import timezone

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
        created_at=timezone.now(),
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
    if connection.vendor == "postgresql":
        _insert_in_one_statement(event)
    else:
        event.save()
        AccessEventRecord.objects.bulk_create(
            AccessEventRecord(event=event, object_type=object_type, object_id=pk) for pk in ids
        )
    return event


# The event and its records in one atomic statement: data-modifying CTEs run even when the
# final SELECT does not read them. Columns are those of AccessEvent and AccessEventRecord.
INSERT_EVENT_AND_RECORDS = """
WITH event AS (
    INSERT INTO core_accessevent (created_at, user_id, by_person, organisation_id, role,
                                  action, object_type, object_ids, request_id, path)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s)
    RETURNING id
), records AS (
    INSERT INTO core_accesseventrecord (event_id, object_type, object_id)
    SELECT event.id, %s, unnest(%s::bigint[]) FROM event
)
SELECT id FROM event
"""


def _insert_in_one_statement(event: AccessEvent) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_EVENT_AND_RECORDS,
            [
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
                event.object_type,
                event.object_ids,
            ],
        )
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias
