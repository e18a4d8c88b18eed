"""Admin: reference data (grids, frameworks, codes) and a read-only view of signed charters."""

from django.contrib import admin

from .models import (
    CharterSignature,
    CodeOfConduct,
    CompetencyFramework,
    MissionCharter,
    SalaryGrid,
    SalaryStep,
)


class SalaryStepInline(admin.TabularInline):
    model = SalaryStep
    extra = 0


@admin.register(SalaryGrid)
class SalaryGridAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "is_example", "valid_from"]
    inlines = [SalaryStepInline]


@admin.register(CompetencyFramework)
class CompetencyFrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "version", "organisation", "loaded_at"]
    readonly_fields = ["slug", "version", "source"]


@admin.register(CodeOfConduct)
class CodeOfConductAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "organisation", "published_at"]


class CharterSignatureInline(admin.TabularInline):
    model = CharterSignature
    extra = 0
    can_delete = False
    readonly_fields = ["party", "user", "membership", "signed_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MissionCharter)
class MissionCharterAdmin(admin.ModelAdmin):
    """Signed charters are read-only here too (the model refuses any change anyway)."""

    list_display = ["peer", "facility", "version", "fully_signed_at"]
    list_select_related = ["peer", "facility"]
    readonly_fields = ["fully_signed_at", "previous"]
    raw_id_fields = ["peer", "facility", "referent", "team_lead", "created_by"]
    inlines = [CharterSignatureInline]
    actions = None

    def has_change_permission(self, request, obj=None):
        if obj is not None and (obj.is_fully_signed or obj.signatures.exists()):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_fully_signed:
            return False
        return super().has_delete_permission(request, obj)
