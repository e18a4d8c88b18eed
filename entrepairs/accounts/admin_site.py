"""The administration (/gestion/) logs what it shows, as the application's pages do.

Every ModelAdmin registered on the default site (ours and those of django-axes, django-otp,
django-tasks) is given ``AuditedModelAdmin``: a list page logs the ids of the rows it shows,
a record page (change, read-only view, delete confirmation, history) logs that record, and a
change made through the administration is logged in its transaction. The site is installed
by ``accounts.apps.AuditedAdminConfig`` in place of ``django.contrib.admin``.
"""

from django.contrib import admin
from django.db import transaction

from entrepairs.core.audit import log_access
from entrepairs.core.models import Action


def integer_ids(objects) -> list[int]:
    """The audit log keeps integer ids; a record with another key (a task's UUID) is still
    logged, by its type and the page's path."""
    return [obj.pk for obj in objects if isinstance(obj.pk, int)]


class AuditedModelAdmin:
    """Mixed into every registered ModelAdmin by ``AuditedAdminSite.register``."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            # Evaluated here, and reused by the template: the ids logged are the rows shown.
            log_access(
                request, Action.LIST, model=self.model, ids=integer_ids(changelist.result_list)
            )
        return response

    def _log_record_page(self, request, response, key):
        shown = (getattr(response, "context_data", None) or {}).get(key)
        if isinstance(shown, self.model):
            log_access(request, Action.VIEW, model=self.model, ids=integer_ids([shown]))
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        return self._log_record_page(request, response, "original")

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        return self._log_record_page(request, response, "object")

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._log_record_page(request, response, "object")

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            log_access(
                request,
                Action.UPDATE if change else Action.CREATE,
                model=self.model,
                ids=integer_ids([obj]),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            log_access(request, Action.DELETE, model=self.model, ids=integer_ids([obj]))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            log_access(request, Action.DELETE, model=self.model, ids=integer_ids(queryset))
            super().delete_queryset(request, queryset)


class AuditedAdminSite(admin.AdminSite):
    """The default admin site; ``config.urls`` sets its login page and header."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdmin):
            admin_class = type(
                f"Audited{admin_class.__name__}", (AuditedModelAdmin, admin_class), {}
            )
        super().register(model_or_iterable, admin_class, **options)
