"""Every URL of the project, plus the baseline the benchmark compares them with.

``/bench/minimal/`` is the least a Django view on this server can do: the full middleware
stack, one trivial query and a small JSON response. It lives here, not in the product.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from sasaeai.core.access import public
from sasaeai.regions.models import Prefecture
from sasaeai.urls import handler500  # noqa: F401 — the project's JSON 500 for API clients
from sasaeai.urls import urlpatterns as project_urlpatterns


@public
def minimal(request: HttpRequest) -> JsonResponse:
    Prefecture.objects.filter(code="33").exists()
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/minimal/", minimal, name="bench-minimal"), *project_urlpatterns]
