"""Security headers Django and django-csp do not send themselves."""

from __future__ import annotations

from django.conf import settings


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` on every response, from ``SASAEAI_PERMISSIONS_POLICY``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "SASAEAI_PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response
