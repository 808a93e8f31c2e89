from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render

from sasaeai.core.access import public
from sasaeai.core.pillars import PILLARS, PILLARS_BY_SLUG


@public
def home(request):
    return render(request, "core/home.html", {"pillars": PILLARS})


@public
def pillar_detail(request, slug: str):
    pillar = PILLARS_BY_SLUG.get(slug)
    if pillar is None:
        raise Http404
    return render(request, "core/pillar_detail.html", {"pillar": pillar})


@public
def plan_dashboard(request):
    """The plan's dashboard is built by the plan issue; until then the page says so."""
    return render(request, "core/plan_dashboard.html")


@public
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": "ok"})
