"""Security headers on every page, and the cookie and transport settings of production."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest

from sasaeai.testing.browser import REPO_ROOT

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/docs/", "/admin/login/"])
def test_pages_send_a_strict_content_security_policy(client, path):
    response = client.get(path)
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in csp.values() for value in values)
    assert "Content-Security-Policy-Report-Only" not in response


def test_the_api_docs_load_their_script_and_style_from_files(client):
    page = client.get("/api/docs/").content.decode()
    assert 'src="/api/docs/?script=' in page and "<style" not in page


def test_pages_send_referrer_permissions_and_opener_policies(client):
    response = client.get("/")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_the_session_and_csrf_cookies_are_http_only_and_same_site_lax(client, personas):
    from sasaeai.testing.factories import PASSWORD

    client.get("/accounts/login/")
    client.post("/accounts/login/", {"login": "corp-staff", "password": PASSWORD})
    session, csrf = client.cookies["sessionid"], client.cookies["csrftoken"]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert csrf["httponly"] and csrf["samesite"] == "Lax"


def test_htmx_gets_the_csrf_token_from_the_page_not_the_cookie(client, personas):
    client.force_login(personas.corp_staff)
    page = client.get("/dashboard/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    assert 'name="htmx-config"' in page and '"includeIndicatorStyles":false' in page


PRODUCTION_SETTINGS = """
import json
from django.conf import settings
import django
django.setup()
names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
         "CSRF_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE",
         "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_CONTENT_TYPE_NOSNIFF",
         "SASAEAI_REQUIRE_CENTER_STAFF_MFA", "DEBUG", "CONTENT_SECURITY_POLICY",
         "SASAEAI_RATE_LIMIT_CACHE", "SASAEAI_RATE_LIMITS", "CACHES"]
print(json.dumps({name: getattr(settings, name) for name in names}, default=str))
"""


def production_settings(**extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SASAEAI_", "DJANGO_", "SECURE_", "DEBUG", "SESSION_", "CSRF_"))
    }
    env.update(
        SASAEAI_ENV="production",
        DJANGO_SETTINGS_MODULE="sasaeai.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="sasaeai.example.org",
        PYTHONPATH=str(REPO_ROOT),
        **extra,
    )
    result = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", PRODUCTION_SETTINGS],
        env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def production():
    """The production settings, with two limits chosen in the environment (one subprocess)."""
    return production_settings(
        SASAEAI_RATE_LIMITS="event-registration=20/60",
        SASAEAI_RATE_LIMIT_CACHE_URL="database",
    )


def test_production_cookies_are_secure_http_only_and_same_site(production):
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"] and production["CSRF_COOKIE_HTTPONLY"]
    assert production["SESSION_COOKIE_SAMESITE"] == production["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production["SECURE_SSL_REDIRECT"] and production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SASAEAI_REQUIRE_CENTER_STAFF_MFA"] and not production["DEBUG"]
    assert "frame-ancestors" in production["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]


def test_rate_limits_and_their_shared_cache_are_chosen_in_the_environment(production):
    assert production["SASAEAI_RATE_LIMITS"]["event-registration"] == [20, 60]
    assert production["SASAEAI_RATE_LIMITS"]["newsletter-subscription"] == [5, 3600]
    assert production["SASAEAI_RATE_LIMIT_CACHE"] == "ratelimit"
    assert production["CACHES"]["ratelimit"]["BACKEND"].endswith("DatabaseCache")
