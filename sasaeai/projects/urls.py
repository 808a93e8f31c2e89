from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.home, name="home"),
    path("themes/", views.theme_list, name="theme-list"),
    path("themes/new/", views.theme_edit, name="theme-create"),
    path("themes/load/", views.theme_load, name="theme-load"),
    path("themes/<int:pk>/edit/", views.theme_edit, name="theme-edit"),
    path("models/", views.project_list, name="project-list"),
    path("models/export.xlsx", views.project_export, name="project-export"),
    path("models/new/", views.project_create, name="project-create"),
    path("models/<int:pk>/", views.project_detail, name="project-detail"),
    path("models/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("models/<int:pk>/status/", views.project_status, name="project-status"),
    path("models/<int:pk>/sites/", views.site_designate, name="site-designate"),
    path("models/<int:pk>/sites/<int:site_pk>/end/", views.site_end, name="site-end"),
    path("models/<int:pk>/reports/", views.report_add, name="report-add"),
    path("models/<int:pk>/documents/", views.document_add, name="document-add"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("leading/", views.leading_list, name="leading-list"),
    path("leading/new/", views.leading_edit, name="leading-create"),
    path("leading/<int:pk>/", views.leading_detail, name="leading-detail"),
    path("leading/<int:pk>/edit/", views.leading_edit, name="leading-edit"),
    path("leading/<int:pk>/partners/", views.partner_add, name="partner-add"),
    path("leading/<int:pk>/years/", views.leading_year, name="leading-year-add"),
    path("leading/<int:pk>/years/<int:year_pk>/", views.leading_year, name="leading-year-edit"),
    path("committees/new/", views.committee_edit, name="committee-create"),
    path("committees/<int:pk>/", views.committee_detail, name="committee-detail"),
    path("committees/<int:pk>/edit/", views.committee_edit, name="committee-edit"),
    path("committees/<int:pk>/members/", views.committee_member_add, name="committee-member-add"),
    path("committees/<int:pk>/meetings/", views.meeting_add, name="meeting-add"),
    path("committees/<int:pk>/findings/", views.finding_add, name="finding-add"),
]
