"""Conventions shared by every app's API: pagination and JSON errors in Japanese."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

from sasaeai.core.access import public


class Pagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}`` pages; ``?page_size=`` up to 500."""

    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """DRF's handler (whose messages are translated) with a JSON body for every error."""
    response = drf_exception_handler(exc, context)
    if response is not None and not isinstance(response.data, dict):
        response.data = {"detail": response.data}
    return response


def server_error(request):
    """A 500 page for people, and JSON for API clients."""
    from django.views.defaults import server_error as html_server_error

    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("A server error occurred. Nothing was saved; please try again later.")},
            status=500,
        )
    return html_server_error(request)


@public
@csrf_exempt
def json_not_found(request, exception=None):
    """A JSON 404 for unknown API addresses, so that clients never parse an HTML page (nor
    the CSRF failure page: API clients do not carry Django's CSRF cookie, and this writes
    nothing)."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
