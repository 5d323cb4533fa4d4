"""The auth flows exactly as the mobile app and the browser perform them."""

import pytest
from rest_framework.test import APIClient

from backend.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
BROWSER = "/_allauth/browser/v1"


def test_app_signup_returns_session_token_that_authenticates_the_api():
    client = APIClient()
    response = client.post(
        f"{APP}/auth/signup",
        {"email": "olena@example.org", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content
    token = response.json()["meta"]["session_token"]

    client.credentials(HTTP_X_SESSION_TOKEN=token)
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    body = me.json()
    assert body["email"] == "olena@example.org"
    assert body["display_name"] == "olena"  # never the whole address
    assert body["volunteer_status"] == "none"
    assert body["target_language"] == "lv"
    assert User.objects.filter(email="olena@example.org").count() == 1


def test_app_login_then_logout_kills_the_token():
    user = UserFactory(email="jana@example.org")
    client = APIClient()
    login = client.post(
        f"{APP}/auth/login",
        {"email": "JANA@example.org", "password": PASSWORD},
        format="json",
    )
    assert login.status_code == 200, login.content
    token = login.json()["meta"]["session_token"]
    client.credentials(HTTP_X_SESSION_TOKEN=token)
    assert client.get("/api/v1/me/").json()["id"] == user.pk

    logout = client.delete(f"{APP}/auth/session")
    assert logout.status_code == 401  # allauth: "no longer authenticated"

    after = client.get("/api/v1/me/")
    assert after.status_code == 401
    assert after.json()["code"] == "not_authenticated"


def test_wrong_password_does_not_log_in():
    UserFactory(email="jana@example.org")
    response = APIClient().post(
        f"{APP}/auth/login",
        {"email": "jana@example.org", "password": "wrong-password-1"},
        format="json",
    )
    assert response.status_code == 400
    assert "session_token" not in response.json().get("meta", {})


def test_browser_login_uses_session_cookie_and_csrf():
    user = UserFactory(email="jana@example.org")
    client = APIClient(enforce_csrf_checks=True)
    # The browser client first fetches the session to get the CSRF cookie.
    client.get(f"{BROWSER}/auth/session")
    csrf = client.cookies["csrftoken"].value

    without_csrf = client.post(
        f"{BROWSER}/auth/login",
        {"email": "jana@example.org", "password": PASSWORD},
        format="json",
    )
    assert without_csrf.status_code == 403

    login = client.post(
        f"{BROWSER}/auth/login",
        {"email": "jana@example.org", "password": PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert login.status_code == 200, login.content
    assert client.get("/api/v1/me/").json()["id"] == user.pk

    csrf = client.cookies["csrftoken"].value
    no_csrf_patch = client.patch("/api/v1/me/", {"display_name": "Jana"}, format="json")
    assert no_csrf_patch.status_code == 403
    patched = client.patch(
        "/api/v1/me/", {"display_name": "Jana"}, format="json", HTTP_X_CSRFTOKEN=csrf
    )
    assert patched.status_code == 200
    assert patched.json()["display_name"] == "Jana"


def test_me_without_credentials_is_401_with_the_error_contract():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "X-Session-Token"


def test_garbage_token_is_401():
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN="not-a-real-token")
    assert client.get("/api/v1/me/").status_code == 401
