from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.register, name="register"),
    path("requests/", views.request_search, name="request-search"),
    path("requests/erase/", views.request_erase, name="request-erase"),
    path("requests/export.json", views.request_export, {"fmt": "json"}, name="request-export-json"),
    path("requests/export.xlsx", views.request_export, {"fmt": "xlsx"}, name="request-export-xlsx"),
]
