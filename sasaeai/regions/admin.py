from django.contrib import admin

from .models import Boundary, Center, Municipality, Prefecture


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kana"]
    search_fields = ["name", "kana", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kana", "kind", "prefecture", "is_active"]
    list_filter = ["kind", "is_active", "prefecture"]
    search_fields = ["name", "kana", "code"]
    list_select_related = ["prefecture", "parent"]


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "prefecture", "is_active"]


@admin.register(Boundary)
class BoundaryAdmin(admin.ModelAdmin):
    """Read-only: boundaries come from ``manage.py import_geo`` (sasaeai geo import)."""

    list_display = ["municipality", "source", "imported_at"]
    list_filter = ["municipality__prefecture"]
    search_fields = ["municipality__name", "municipality__code"]
    list_select_related = ["municipality__parent"]
    readonly_fields = ["municipality", "source", "imported_at", "geometry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
