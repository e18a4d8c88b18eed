from django.contrib import admin

from .models import Group


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    """Configuration only: sessions and named attendance are not shown in the admin."""

    list_display = ["name", "kind", "organisation", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["organisation", "facility", "created_by"]
    filter_horizontal = ["peer_facilitators", "professional_facilitators"]
