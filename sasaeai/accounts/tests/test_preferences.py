"""Dates follow the reader's choice of 和暦 or 西暦, through one template tag."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


def render_date(user, value):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load sasaeai %}{% jdate value %}|{% fiscal_year 2019 %}")
    return template.render(Context({"request": request, "value": value}))


def test_dates_are_shown_in_wareki_by_default(personas):
    assert render_date(personas.center, datetime.date(2019, 5, 1)) == "令和元年5月1日|令和元年度"


def test_a_user_who_chose_the_western_calendar_sees_it_everywhere(client, personas):
    client.force_login(personas.corp_staff)
    response = client.post(reverse("accounts:preferences"), {"date_style": "western"})
    assert response.status_code == 302
    personas.corp_staff.refresh_from_db()
    assert render_date(personas.corp_staff, datetime.date(2017, 10, 10)) == (
        "2017年10月10日|2019年度"
    )


def test_an_unknown_date_style_is_refused_with_a_message(client, personas):
    client.force_login(personas.corp_staff)
    response = client.post(reverse("accounts:preferences"), {"date_style": "lunar"})
    assert response.status_code == 200
    assert "lunar" in response.content.decode()
    personas.corp_staff.refresh_from_db()
    assert personas.corp_staff.date_style == "wareki"


def test_aware_datetimes_are_shown_in_tokyo_time(personas):
    moment = datetime.datetime(2019, 4, 30, 15, 30, tzinfo=datetime.UTC)  # 2019-05-01 00:30 JST
    assert render_date(personas.center, moment).startswith("令和元年5月1日")
