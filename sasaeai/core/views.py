from django.conf import settings
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from sasaeai.core.access import public
from sasaeai.core.health import check_health
from sasaeai.core.pillars import PILLARS_BY_SLUG


@public
def pillar_detail(request, slug: str):
    pillar = PILLARS_BY_SLUG.get(slug)
    if pillar is None:
        raise Http404
    return render(request, "core/pillar_detail.html", {"pillar": pillar})


@public
@never_cache
def healthz(request):
    """The database and the task queue, for monitors and operators (see ``core.health``)."""
    report, serving = check_health()
    return JsonResponse(report, status=200 if serving else 503)


@public
def choose_language(request):
    """The header's language switch, as a GET form: it changes only the visitor's own language
    cookie, so public pages need no CSRF token and stay cacheable (see ``publiccache``)."""
    language = request.GET.get("language", "")
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
