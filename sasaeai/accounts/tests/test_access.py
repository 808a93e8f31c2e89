import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from sasaeai.accounts.access import center_staff
from sasaeai.core.access import CENTER_STAFF, access_of

pytestmark = pytest.mark.django_db


@center_staff
def staff_only(request):
    return HttpResponse("ok")


def call(user):
    request = RequestFactory().get("/x/")
    request.user = user
    return staff_only(request)


def test_center_staff_views_declare_their_level():
    assert access_of(staff_only) == CENTER_STAFF


def test_only_center_staff_open_a_center_staff_view(personas):
    assert call(personas.center).status_code == 200
    for persona in (personas.council, personas.corp_staff, personas.outsider):
        with pytest.raises(Http404):
            call(persona)
    assert call(personas.anonymous).status_code == 302  # to the login page
