"""Excel and CSV in and out of the registry, under ``/members/io/``."""

from django.urls import path

from . import io_views

app_name = "members_io"
urlpatterns = [
    path("corporations/export/", io_views.corporation_export, name="corporation-export"),
    path("facilities/export/", io_views.facility_export, name="facility-export"),
    path("imports/new/", io_views.import_upload, name="import-upload"),
    path("imports/<int:pk>/", io_views.import_preview, name="import-preview"),
    path("imports/<int:pk>/commit/", io_views.import_commit, name="import-commit"),
    path("imports/<int:pk>/progress/", io_views.import_progress, name="import-progress"),
]
