"""Center staff must set up a second factor before using the system (production default)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .mfa import must_have_second_factor, totp_of

# Pages a user must still reach to set up TOTP or leave.
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz")


class RequireCenterStaffMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up_mfa(self, request) -> bool:
        if not settings.SASAEAI_REQUIRE_CENTER_STAFF_MFA:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(EXEMPT_PREFIXES):
            return False
        return must_have_second_factor(user) and totp_of(user) is None
