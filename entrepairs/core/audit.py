"""The small API every view that shows personal data calls: ``log_access``.

A list logs the ids it showed, an export the ids it exported. Two INSERTs per call whatever
the number of rows, so that list pages keep a constant query count.
"""

import logging
from collections.abc import Iterable

from django.db import models

from .models import AccessEvent, AccessEventRecord

logger = logging.getLogger("entrepairs.audit")


def object_type_of(model_or_instance) -> str:
    meta = model_or_instance._meta
    return f"{meta.app_label}.{meta.model_name}"


def log_access(
    request,
    action: str,
    objects: Iterable[models.Model] | models.Model | None = None,
    *,
    model: type[models.Model] | None = None,
    ids: Iterable[int] | None = None,
) -> AccessEvent:
    """Record that the current user (or person) did ``action`` on ``objects``.

    Give either model instances (``objects``), or a ``model`` class and ``ids``.
    """
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
    event = AccessEvent.objects.create(
        user=user,
        by_person=bool(getattr(request, "person_space", None)),
        organisation=membership.organisation if membership else None,
        role=membership.role if membership else ("person" if user is None else ""),
        action=action,
        object_type=object_type,
        object_ids=ids,
        request_id=getattr(request, "request_id", ""),
        path=request.path[:300],
    )
    AccessEventRecord.objects.bulk_create(
        AccessEventRecord(event=event, object_type=object_type, object_id=pk) for pk in ids
    )
    return event
