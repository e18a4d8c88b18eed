"""Append-only audit of every read and write of personal data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit row."""


class AccessEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Le journal des accès ne peut pas être modifié.")

    def delete(self):
        raise AppendOnlyError("Le journal des accès ne peut pas être supprimé.")

    def about(self, object_type: str, object_id: int):
        """Events that touched one record, e.g. ``about("accompaniment.person", 12)``."""
        return self.filter(records__object_type=object_type, records__object_id=object_id)


class Action(models.TextChoices):
    """What an audit event records. ``log_access`` takes only these, never free text."""

    VIEW = "view", _("consultation")
    LIST = "list", _("liste")
    EXPORT = "export", _("export")
    CREATE = "create", _("création")
    UPDATE = "update", _("modification")
    DELETE = "delete", _("suppression")
    # A search: the records it showed, never the words typed (they may hold a name).
    SEARCH = "search", _("recherche")


# Actions that change data: their event is written in the transaction of the change.
WRITE_ACTIONS = frozenset({Action.CREATE, Action.UPDATE, Action.DELETE})


class AccessEvent(models.Model):
    Action = Action

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # Set when the person accompanied reads their own record through their magic link.
    by_person = models.BooleanField(default=False)
    organisation = models.ForeignKey(
        "territory.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )
    role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=100)
    object_ids = models.JSONField(default=list)
    request_id = models.CharField(max_length=36, blank=True)
    path = models.CharField(max_length=300, blank=True)
    # The hash chain (see core/chain.py): the hash of the event before this one (by id), and
    # sha256 over this event's id, content and previous_hash. Written by log_access only.
    previous_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("accès à des données personnelles")
        verbose_name_plural = _("journal des accès")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.role} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Le journal des accès ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le journal des accès ne peut pas être supprimé.")


class AccessEventRecord(models.Model):
    """One record touched by an event, so that a person can list who read their record."""

    event = models.ForeignKey(AccessEvent, on_delete=models.PROTECT, related_name="records")
    object_type = models.CharField(max_length=100)
    object_id = models.BigIntegerField()

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.object_type} #{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Le journal des accès ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le journal des accès ne peut pas être supprimé.")
