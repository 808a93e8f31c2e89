"""URL patterns of the stockyard's referrals pages (collected by urls.py)."""

from django.urls import path

from .views import referrals

urlpatterns: list = [
    path("referrals/", referrals.referral_list, name="referrals"),
    path("referrals/new/", referrals.referral_new, name="referral-new"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral"),
    path("referrals/<int:pk>/approve/", referrals.referral_approve, name="referral-approve"),
    path("referrals/<int:pk>/hand-over/", referrals.referral_hand_over, name="referral-hand-over"),
    path("referrals/<int:pk>/decline/", referrals.referral_decline, name="referral-decline"),
    path("referrals/<int:pk>/cancel/", referrals.referral_cancel, name="referral-cancel"),
    path("limits/", referrals.rule_list, name="rules"),
    path("limits/new/", referrals.rule_new, name="rule-new"),
    path("limits/<int:pk>/edit/", referrals.rule_edit, name="rule-edit"),
]
