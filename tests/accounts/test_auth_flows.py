"""The auth flows exactly as the mobile app and the browser perform them."""

import pytest
from rest_framework.test import APIClient

from backend.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
BROWSER = "/_allauth/browser/v1"


def test_app_signup_returns_session_token_that_authenticates_the_api(settings):
    # Without mandatory verification (a deployment's choice) sign-up logs in.
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
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
    # Nothing taken from the address: others see "Member <id>" until a name is set.
    assert body["display_name"] == ""
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


def _key_from_mail(body: str, marker: str) -> str:
    import re
    from urllib.parse import unquote

    match = re.search(re.escape(marker) + r"([^\s/]+)", body)
    assert match, body
    return unquote(match.group(1))


def test_password_reset_by_e_mailed_link(mailoutbox):
    UserFactory(email="jana@example.org")
    client = APIClient()
    requested = client.post(
        f"{APP}/auth/password/request", {"email": "jana@example.org"}, format="json"
    )
    assert requested.status_code == 200
    assert len(mailoutbox) == 1
    key = _key_from_mail(mailoutbox[0].body, "/accounts/password/reset/key/")

    reset = client.post(
        f"{APP}/auth/password/reset",
        {"key": key, "password": "a-New-passw0rd-for-Riga"},
        format="json",
    )
    assert reset.status_code in (200, 401), reset.content  # 401: log in now
    login = client.post(
        f"{APP}/auth/login",
        {"email": "jana@example.org", "password": "a-New-passw0rd-for-Riga"},
        format="json",
    )
    assert login.status_code == 200


def test_mandatory_verification_gives_a_token_only_after_the_link(settings, mailoutbox):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client = APIClient()
    signup = client.post(
        f"{APP}/auth/signup",
        {"email": "new@example.org", "password": PASSWORD},
        format="json",
    )
    assert signup.status_code == 401
    flows = {flow["id"]: flow for flow in signup.json()["data"]["flows"]}
    assert flows["verify_email"]["is_pending"] is True
    pending_token = signup.json()["meta"]["session_token"]
    client.credentials(HTTP_X_SESSION_TOKEN=pending_token)
    assert client.get("/api/v1/me/").status_code == 401

    key = _key_from_mail(mailoutbox[0].body, "/accounts/confirm-email/")
    verified = client.post(f"{APP}/auth/email/verify", {"key": key}, format="json")
    assert verified.status_code == 200, verified.content
    token = verified.json()["meta"].get("session_token", pending_token)
    client.credentials(HTTP_X_SESSION_TOKEN=token)
    assert client.get("/api/v1/me/").json()["email"] == "new@example.org"


def test_repeated_failed_logins_are_rate_limited_with_429():
    UserFactory(email="jana@example.org")
    client = APIClient()
    responses = [
        client.post(
            f"{APP}/auth/login",
            {"email": "jana@example.org", "password": f"wrong-{i}"},
            format="json",
        )
        for i in range(7)
    ]
    assert [r.status_code for r in responses] == [400] * 5 + [429] * 2
    assert responses[0].json()["errors"][0]["code"] == "email_password_mismatch"
    assert responses[-1].json()["status"] == 429
    # Even the right password is refused from this address until the window passes.
    right = client.post(
        f"{APP}/auth/login",
        {"email": "jana@example.org", "password": PASSWORD},
        format="json",
    )
    assert right.status_code == 429


def test_failed_logins_from_another_address_do_not_lock_the_owner_out():
    UserFactory(email="jana@example.org")
    stranger = APIClient(REMOTE_ADDR="203.0.113.9")
    for i in range(8):
        stranger.post(
            f"{APP}/auth/login",
            {"email": "jana@example.org", "password": f"wrong-{i}"},
            format="json",
        )
    owner = APIClient(REMOTE_ADDR="198.51.100.20")
    right = owner.post(
        f"{APP}/auth/login",
        {"email": "jana@example.org", "password": PASSWORD},
        format="json",
    )
    assert right.status_code == 200, right.content


def test_staff_created_from_the_environment_use_the_api_with_a_token(monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "ilze@riga.example")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "staff-Passw0rd-2026")
    call_command("createsuperuser", "--noinput", verbosity=0)
    client = APIClient()
    login = client.post(
        f"{APP}/auth/login",
        {"email": "ilze@riga.example", "password": "staff-Passw0rd-2026"},
        format="json",
    )
    client.credentials(HTTP_X_SESSION_TOKEN=login.json()["meta"]["session_token"])
    me = client.get("/api/v1/me/").json()
    assert me["is_staff"] is True
    assert client.get("/api/v1/volunteer-applications/").status_code == 200


def test_allauth_publishes_its_own_api_description():
    response = APIClient().get("/_allauth/openapi.html")
    assert response.status_code == 200
