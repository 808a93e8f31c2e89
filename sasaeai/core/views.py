from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from sasaeai.core.access import authenticated, public
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


@authenticated
def dashboard(request):
    """The signed-in user's start page: who they are, their roles and what they can reach."""
    from sasaeai.members.queries import visible_corporations

    roles = request.user.roles.select_related("center", "municipality", "corporation")
    context = {
        "roles": roles,
        "scope": request.user.scope,
        "corporation_count": visible_corporations(request.user).count(),
        "today": timezone.localdate(),
    }
    return render(request, "core/dashboard.html", context)


@public
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": "ok"})
