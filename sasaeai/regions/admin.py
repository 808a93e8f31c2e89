from django.contrib import admin

from .models import Center, Municipality, Prefecture


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
