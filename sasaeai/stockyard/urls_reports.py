"""URL patterns of the stockyard's reports and papers (collected by urls.py)."""

from django.urls import path

from .views import reports

urlpatterns: list = [
    path("reports/", reports.reports_page, name="reports"),
    path("reports.xlsx", reports.reports_xlsx, name="reports-xlsx"),
    path("donations/<int:pk>/receipt.pdf", reports.donation_receipt, name="donation-receipt"),
    path("referrals/<int:pk>/note.pdf", reports.referral_note, name="referral-note"),
]
