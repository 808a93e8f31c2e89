"""Public pages that residents open again and again: rendered once per version of their data.

A public view says what its page depends on with a *version*: a cheap value read from the
database (say, the count and the latest change of the published records it shows) that changes
whenever something is published, edited or withdrawn. Anonymous GETs are answered from the
cache under (path with query, language, version), so a publication invalidates the page at once
in every process, whatever the cache backend. The response carries an ETag of that key with
``Cache-Control: public, no-cache``: browsers and proxies may keep it and revalidate, and a
revalidation costs the one query of the version.

Never stored: signed-in users' pages, pages with a form (they use a CSRF token, which is per
visitor), pages showing a message, responses other than 200 and responses setting cookies.

Usage::

    @public
    @cached_public_page(lambda request, **kwargs: Case.objects.published().version())
    def case_list(request): ...
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import get_language

__all__ = ["CACHE_SECONDS", "cached_public_page"]

CACHE_SECONDS = 24 * 60 * 60
PREFIX = "public-page:"


def _bypass(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    # A message waiting to be shown belongs to this visitor only (len() does not consume it).
    return bool(len(get_messages(request)))


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Set-Cookie")
    )


def cached_public_page(
    version: Callable[..., object], *, timeout: int = CACHE_SECONDS
) -> Callable[[Callable], Callable]:
    """Decorate a public view; ``version(request, *args, **kwargs)`` names its data's state."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if _bypass(request):
                return view(request, *args, **kwargs)
            token = repr(version(request, *args, **kwargs))
            material = f"{request.get_full_path()}|{get_language()}|{token}"
            key = PREFIX + hashlib.sha256(material.encode()).hexdigest()
            etag = quote_etag(key[-32:])
            if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
                response = HttpResponseNotModified()
            elif (stored := cache.get(key)) is not None:
                content, content_type = stored
                response = HttpResponse(content, content_type=content_type)
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                if not _storable(request, response):
                    return response
                cache.set(key, (response.content, response["Content-Type"]), timeout)
            response["ETag"] = etag
            patch_cache_control(response, public=True, no_cache=True)
            # The language and the signed-in state travel in cookies.
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapped

    return decorate
