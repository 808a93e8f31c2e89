"""Login through allauth, lockout by axes, and the second factor required of center staff."""

import pytest
from django.test import override_settings
from django.urls import reverse

from sasaeai.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def test_a_persona_logs_in_with_the_login_form_and_lands_on_its_dashboard(client, personas):
    response = login(client, "council-tsuyama", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mypage")
    page = client.get(reverse("mypage"))
    assert "市町村社協職員" in page.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_for_the_right_password(client, personas):
    for _attempt in range(3):
        login(client, "corp-staff", "wrong password")
    response = login(client, "corp-staff", PASSWORD)
    assert response.status_code == 429
    assert "ロック" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(SASAEAI_REQUIRE_CENTER_STAFF_MFA=True)
def test_center_staff_without_totp_are_sent_to_set_it_up(client, personas):
    response = login(client, "center-okayama", PASSWORD)
    assert response.status_code == 302
    response = client.get(reverse("mypage"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password once more before a second factor is added.
    activate = client.get(reverse("mfa_activate_totp"), follow=True)
    assert activate.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    again = client.post(activate.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert again.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert again.status_code == 200
    assert again.context["totp_url"].startswith("otpauth://")


@override_settings(SASAEAI_REQUIRE_CENTER_STAFF_MFA=True)
def test_center_staff_with_totp_and_other_roles_pass(client, personas):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=personas.center, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    client.force_login(personas.center)
    assert client.get(reverse("mypage")).status_code == 200
    client.force_login(personas.council)
    assert client.get(reverse("mypage")).status_code == 200


def test_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    posted = client.post(
        reverse("account_signup"),
        {"username": "new", "password1": "a-long-password-1", "password2": "a-long-password-1"},
    )
    assert "account/signup_closed.html" in [t.name for t in posted.templates]
    from sasaeai.accounts.models import User

    assert not User.objects.filter(username="new").exists()


def test_production_requires_the_second_factor_for_center_staff_by_default(monkeypatch):
    import importlib
    import os

    import sasaeai.settings as settings_module

    monkeypatch.setenv("SASAEAI_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("DEBUG", "false")
    try:
        reloaded = importlib.reload(settings_module)
        assert reloaded.SASAEAI_REQUIRE_CENTER_STAFF_MFA is True
        assert reloaded.DEBUG is False
    finally:
        monkeypatch.setenv("SASAEAI_ENV", os.environ.get("SASAEAI_ENV_BEFORE", "test"))
        monkeypatch.delenv("SECRET_KEY")
        monkeypatch.delenv("DEBUG")
        importlib.reload(settings_module)


# No way in skips the second factor or the lockout --------------------------------------------


def totp_code(user) -> str:
    """The current code of a TOTP authenticator set up for ``user``."""
    import time

    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
    )

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def ask_token(client, username, password, **extra):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password, **extra},
        content_type="application/json",
    )


def test_an_api_token_needs_the_second_factor_of_an_account_that_has_one(client, personas):
    from rest_framework.authtoken.models import Token

    code = totp_code(personas.corp_staff)
    refused = ask_token(client, "corp-staff", PASSWORD)
    assert refused.status_code == 400 and "code" in refused.json()["detail"]
    assert ask_token(client, "corp-staff", PASSWORD, code="000000").status_code == 400
    assert not Token.objects.filter(user=personas.corp_staff).exists()
    assert ask_token(client, "corp-staff", PASSWORD, code=code).status_code == 200


@override_settings(SASAEAI_REQUIRE_CENTER_STAFF_MFA=True)
def test_center_staff_without_a_second_factor_get_no_api_token(client, personas):
    from rest_framework.authtoken.models import Token

    refused = ask_token(client, "center-okayama", PASSWORD)
    assert refused.status_code == 400
    assert not Token.objects.filter(user=personas.center).exists()
    assert ask_token(client, "council-tsuyama", PASSWORD).status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_api_token_endpoint_counts_failures_and_locks_out(client, personas):
    from rest_framework.authtoken.models import Token

    for _attempt in range(3):
        assert ask_token(client, "corp-staff", "wrong password").status_code in (400, 429)
    assert ask_token(client, "corp-staff", PASSWORD).status_code == 429
    assert not Token.objects.filter(user=personas.corp_staff).exists()
    # The same lock holds on the login form.
    assert login(client, "corp-staff", PASSWORD).status_code == 429


def test_the_admin_login_form_is_allauths(client, personas):
    personas.center.is_staff = True
    personas.center.save()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "center-okayama", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/"
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=2)
def test_a_locked_out_person_reads_why_in_japanese(client, personas):
    for _attempt in range(2):
        login(client, "council-tsuyama", "wrong password")
    page = login(client, "council-tsuyama", PASSWORD)
    assert page.status_code == 429
    text = page.content.decode()
    assert "アカウントがロックされました" in text and "30分後" in text


@override_settings(AXES_FAILURE_LIMIT=3, SASAEAI_PROXY_COUNT=1)
def test_behind_nginx_the_lockout_counts_the_visitors_address_not_the_proxys(client, personas):
    """nginx connects from 127.0.0.1 and overwrites X-Forwarded-For with the visitor's
    address: failures from one visitor must not lock the account for another."""
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    colleague = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    for _attempt in range(3):
        client.post(reverse("account_login"), {"login": "corp-staff", "password": "x"}, **attacker)
    locked = client.post(
        reverse("account_login"), {"login": "corp-staff", "password": PASSWORD}, **attacker
    )
    assert locked.status_code == 429
    answer = client.post(
        reverse("account_login"), {"login": "corp-staff", "password": PASSWORD}, **colleague
    )
    assert answer.status_code == 302
