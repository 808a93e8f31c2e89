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
