from django.urls import path

from . import views

app_name = "plan"
urlpatterns = [
    path("", views.public_dashboard, name="public"),
    path("center/", views.dashboard, name="dashboard"),
    path("area/", views.area_dashboard, name="area"),
    path("gaps/", views.gaps, name="gaps"),
    path("gaps.xlsx", views.gaps_xlsx, name="gaps-xlsx"),
    path("national/", views.national, name="national"),
    path("targets/new/", views.target_edit, name="target-create"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target-edit"),
    path("report.pdf", views.report_pdf, name="report-pdf"),
    path("report.xlsx", views.report_xlsx, name="report-xlsx"),
    path("business-report/<int:fiscal_year>/", views.business_report, name="business-report"),
    path(
        "business-report/<int:fiscal_year>.pdf",
        views.business_report_pdf,
        name="business-report-pdf",
    ),
    path(
        "business-report/<int:fiscal_year>.xlsx",
        views.business_report_xlsx,
        name="business-report-xlsx",
    ),
]
