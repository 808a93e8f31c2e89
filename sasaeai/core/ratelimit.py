"""Rate limits of the public forms: so many requests per address in a window, then HTTP 429.

A limit is a setting, ``SASAEAI_RATE_LIMITS[name] = (requests, seconds)``; each window is
fixed (it starts at a multiple of its length) and counted in the cache named by
``SASAEAI_RATE_LIMIT_CACHE``. Django's default cache keeps its counts in each process: with
several gunicorn workers an address may get up to one window's worth per worker. A shared
cache (Redis, or the database cache: see README, 設定) makes the limits exact.

Signed-in staff are not limited (they are known and their logins are limited by django-axes);
anonymous visitors are counted by address, behind ``SASAEAI_PROXY_COUNT`` trusted proxies.
A limited request is refused before the view runs, so it writes nothing and no cached page
answers it. ``misses_only`` counts only requests the view answered with 404 or 400: guesses of
a token's link are limited while the owner of a real link is never counted.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

__all__ = ["client_address", "rate_limited", "too_many_requests"]

MISSES = {400, 404}


def client_address(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the one the trusted proxies saw."""
    proxies = settings.SASAEAI_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _limit(name: str) -> tuple[int, int]:
    requests, seconds = settings.SASAEAI_RATE_LIMITS[name]
    return int(requests), int(seconds)


def _key(name: str, request: HttpRequest, seconds: int, now: float) -> tuple[str, int]:
    window = int(now // seconds)
    retry_after = max(1, math.ceil((window + 1) * seconds - now))
    return f"ratelimit:{name}:{client_address(request)}:{window}", retry_after


def _count(cache, key: str, seconds: int) -> int:
    cache.add(key, 0, timeout=seconds + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.set(key, 1, timeout=seconds + 1)
        return 1


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """HTTP 429 with Retry-After: JSON for the API, a page in the visitor's language otherwise."""
    message = _("Too many requests from your address. Please wait a while and try again.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        minutes = max(1, math.ceil(retry_after / 60))
        html = render_to_string(
            "core/too_many_requests.html", {"message": message, "minutes": minutes}, request
        )
        response = HttpResponse(html, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(
    name: str, *, methods: Iterable[str] = ("POST",), misses_only: bool = False
) -> Callable[[Callable], Callable]:
    """Limit a view's ``methods`` from one address to ``SASAEAI_RATE_LIMITS[name]``."""
    methods = frozenset(methods)

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = getattr(request, "user", None)
            if request.method not in methods or (user is not None and user.is_authenticated):
                return view(request, *args, **kwargs)
            requests, seconds = _limit(name)
            cache = caches[settings.SASAEAI_RATE_LIMIT_CACHE]
            now = time.time()
            key, retry_after = _key(name, request, seconds, now)
            if misses_only:
                if (cache.get(key) or 0) >= requests:
                    return too_many_requests(request, retry_after)
                try:
                    response = view(request, *args, **kwargs)
                except Http404:
                    _count(cache, key, seconds)
                    raise
                if response.status_code in MISSES:
                    _count(cache, key, seconds)
                return response
            if _count(cache, key, seconds) > requests:
                return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
