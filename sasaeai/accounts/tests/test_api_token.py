import pytest
from django.urls import reverse

from sasaeai.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_correct_password_returns_a_token_that_authenticates(client, personas):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "center-okayama", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    listed = client.get("/api/v1/corporations/", HTTP_AUTHORIZATION=f"Token {token}")
    assert listed.status_code == 200
    assert listed.json()["count"] == 2  # Okayama's two; Tottori's is not the center's


def test_a_wrong_password_gets_a_japanese_message_and_no_token(client, personas):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "center-okayama", "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "token" not in response.json()
    assert "パスワード" in response.json()["detail"]


def test_a_missing_field_is_named(client, personas):
    response = client.post(
        "/api/v1/auth/token/", {"username": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "password" in response.json()


def test_the_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/municipalities/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in docs
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs"):
        assert cdn not in docs
