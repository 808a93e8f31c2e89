from django.urls import path

from . import views
from .views import reports as report_views

app_name = "grants"
urlpatterns = [
    # Public: the programs and their calls
    path("", views.home, name="home"),
    path("calls/<int:pk>/", views.call_detail, name="call-detail"),
    # Applicants
    path("calls/<int:pk>/apply/", views.apply, name="apply"),
    path("mine/", views.my_applications, name="my-applications"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"
    ),
    path("applications/<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("applications/<int:pk>/letter.pdf", views.decision_letter, name="decision-letter"),
    path(
        "applications/<int:pk>/reports/<int:report_pk>/",
        views.report_submit,
        name="report-submit",
    ),
    path("applications/<int:pk>/amendment/", views.amendment_request, name="amendment-request"),
    # Reviewers
    path("reviews/", views.my_reviews, name="my-reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    # The center
    path("programs/", views.programs, name="programs"),
    path("programs/load/", views.programs_load, name="programs-load"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program-edit"),
    path("programs/<int:pk>/budget/", views.program_budget, name="program-budget"),
    path("calls/new/", views.call_create, name="call-create"),
    path("calls/<int:pk>/manage/", views.call_manage, name="call-manage"),
    path("calls/<int:pk>/reviewers/", views.reviewer_add, name="reviewer-add"),
    path("applications/<int:pk>/decide/", views.decide, name="decide"),
    path("applications/<int:pk>/payments/", views.payment_add, name="payment-add"),
    path("applications/<int:pk>/reports/new/", views.report_add, name="report-add"),
    path("applications/<int:pk>/close/", views.grant_close, name="grant-close"),
    path("refunds/<int:pk>/returned/", views.refund_returned, name="refund-returned"),
    path("amendments/<int:pk>/approve/", views.amendment_approve, name="amendment-approve"),
    path("amendments/<int:pk>/refuse/", views.amendment_refuse, name="amendment-refuse"),
    # Reports: the counts for the plan and their Excel file
    path("reports/", report_views.reports_page, name="reports"),
    path("reports.xlsx", report_views.reports_xlsx, name="reports-xlsx"),
]
