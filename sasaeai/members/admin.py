from django.contrib import admin

from .models import Corporation


@admin.register(Corporation)
class CorporationAdmin(admin.ModelAdmin):
    list_display = ["corporate_number", "name", "municipality", "is_fictitious"]
    list_filter = ["is_fictitious"]
    search_fields = ["name", "name_kana", "corporate_number"]
    autocomplete_fields = ["municipality"]
