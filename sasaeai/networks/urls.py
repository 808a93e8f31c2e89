from django.urls import path

from . import views

app_name = "networks"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("list/", views.network_list, name="network-list"),
    path("new/", views.network_create, name="network-create"),
    path("<int:pk>/", views.network_detail, name="network-detail"),
    path("<int:pk>/edit/", views.network_edit, name="network-edit"),
    path("<int:pk>/members/", views.member_add, name="member-add"),
    path("<int:pk>/members/<int:member_pk>/leave/", views.member_leave, name="member-leave"),
    path("<int:pk>/documents/", views.document_add, name="document-add"),
    path("<int:pk>/meetings/", views.meeting_add, name="meeting-add"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("municipalities/<str:code>/", views.municipality_detail, name="municipality-detail"),
    path("visits/", views.visit_list, name="visit-list"),
    path("visits/new/", views.visit_create, name="visit-create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit-detail"),
    path(
        "visits/<int:pk>/follow-ups/<int:follow_up_pk>/done/",
        views.follow_up_done,
        name="follow-up-done",
    ),
    path("import/", views.import_table, name="import"),
    path("export/networks/", views.export_networks, name="export-networks"),
    path("export/status/", views.export_status, name="export-status"),
    path("report.pdf", views.report_pdf, name="report-pdf"),
]
