from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from sasaeai.core.publiccache import cached_public_page


class Page:
    """A public view whose data's version the test controls."""

    def __init__(self):
        self.version = 1
        self.renders = 0
        self.with_form = False

    def view(self, request):
        self.renders += 1
        if self.with_form:
            get_token(request)
        return HttpResponse(f"version {self.version}")


def anonymous(path="/activities/?theme=T01", **headers):
    request = RequestFactory().get(path, **headers)
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def decorated(page):
    return cached_public_page(lambda request: page.version)(page.view)


def test_a_page_is_rendered_once_per_version_and_published_changes_show_at_once():
    page = Page()
    view = decorated(page)
    assert view(anonymous()).content == b"version 1"
    assert view(anonymous()).content == b"version 1"
    assert page.renders == 1
    page.version = 2  # something was published
    assert view(anonymous()).content == b"version 2"
    assert page.renders == 2


def test_the_query_and_the_language_are_part_of_the_key():
    page = Page()
    view = decorated(page)
    view(anonymous("/activities/?theme=T01"))
    view(anonymous("/activities/?theme=T02"))
    assert page.renders == 2


def test_a_revalidation_with_the_etag_is_answered_not_modified():
    page = Page()
    view = decorated(page)
    first = view(anonymous())
    assert "no-cache" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = view(anonymous(HTTP_IF_NONE_MATCH=first["ETag"]))
    assert again.status_code == 304
    page.version = 2
    assert view(anonymous(HTTP_IF_NONE_MATCH=first["ETag"])).status_code == 200


def test_pages_with_a_form_or_for_a_signed_in_user_are_never_stored():
    page = Page()
    page.with_form = True
    view = decorated(page)
    view(anonymous())
    view(anonymous())
    assert page.renders == 2

    page = Page()
    view = decorated(page)
    request = anonymous()
    request.user = type("Staff", (), {"is_authenticated": True})()
    view(request)
    view(request)
    assert page.renders == 2


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page():
    page = Page()
    view = decorated(page)
    view(anonymous())
    request = anonymous()
    request._messages.add(20, "登録しました")
    view(request)
    assert page.renders == 2
