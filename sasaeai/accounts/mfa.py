"""The second factor: who must have one, and the check of its code outside allauth's pages
(the API's token endpoint), so that no way in skips it."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from .scope import scope_of


def must_have_second_factor(user) -> bool:
    """Center staff hold the whole prefecture's personal data (setting
    ``SASAEAI_REQUIRE_CENTER_STAFF_MFA``, on in production)."""
    return settings.SASAEAI_REQUIRE_CENTER_STAFF_MFA and scope_of(user).is_center_staff


def totp_of(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()


def second_factor_refusal(user, code: str) -> str | None:
    """Why ``user`` may not sign in with a password and ``code`` alone, or ``None``."""
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = totp_of(user)
    if authenticator is None:
        if must_have_second_factor(user):
            return _(
                "Set up a second factor (an authenticator app) on the web pages first; then "
                "ask for a token with its code."
            )
        return None
    if not code or not TOTP(authenticator).validate_code(code.strip()):
        return _("Give the current code of your authenticator app (field “code”).")
    return None
