"""Every error, whatever raised it, has the same body: code, message, fields."""

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert set(body) <= {"code", "message", "fields", "retry_after"}
    return body


def test_validation_error_names_the_fields(api_client_for, newcomer):
    response = api_client_for(newcomer).patch(
        "/api/v1/me/", {"level": "Z9", "target_language": "latvian"}, format="json"
    )
    body = assert_error(response, 400, "invalid")
    assert set(body["fields"]) == {"level", "target_language"}
    newcomer.refresh_from_db()
    assert newcomer.level == "A2"


def test_unauthenticated_is_401_not_authenticated():
    assert_error(APIClient().get("/api/v1/me/"), 401, "not_authenticated")


def test_forbidden_action_is_403_permission_denied(api_client_for, newcomer):
    response = api_client_for(newcomer).get("/api/v1/volunteer-applications/")
    body = assert_error(response, 403, "permission_denied")
    assert "fields" not in body


def test_unknown_object_is_404_not_found(api_client_for, staff):
    response = api_client_for(staff).post(
        "/api/v1/volunteer-applications/424242/approve/"
    )
    assert_error(response, 404, "not_found")


def test_unknown_api_url_is_a_json_404(api_client_for, newcomer):
    response = api_client_for(newcomer).get("/api/v1/no-such-thing/")
    assert_error(response, 404, "not_found")


def test_domain_conflict_is_409_with_its_own_code(api_client_for, volunteer):
    response = api_client_for(volunteer).post(
        "/api/v1/me/volunteer-application/",
        {"motivation": "Once more, with feeling.", "languages": ["lv"]},
        format="json",
    )
    assert_error(response, 409, "already_volunteer")


def test_malformed_json_is_400_parse_error(api_client_for, newcomer):
    response = api_client_for(newcomer).generic(
        "PATCH", "/api/v1/me/", '{"display_name": ', content_type="application/json"
    )
    assert_error(response, 400, "parse_error")


def test_form_encoded_body_is_415(api_client_for, newcomer):
    response = api_client_for(newcomer).patch(
        "/api/v1/me/",
        "display_name=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert_error(response, 415, "unsupported_media_type")


def test_wrong_method_is_405(api_client_for, newcomer):
    assert_error(
        api_client_for(newcomer).put("/api/v1/me/", {}, format="json"),
        405,
        "method_not_allowed",
    )


def test_role_fields_cannot_be_set_through_the_profile(api_client_for, newcomer):
    response = api_client_for(newcomer).patch(
        "/api/v1/me/",
        {"is_staff": True, "volunteer_status": "approved", "email": "x@y.org"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["is_staff"] is False
    assert body["volunteer_status"] == "none"
    newcomer.refresh_from_db()
    assert not newcomer.is_staff
    assert newcomer.email != "x@y.org"


def test_throttled_caller_gets_429_with_retry_after(api_client_for, newcomer):
    client = api_client_for(newcomer)
    rates = {"anon": "2/min", "user": "3/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        for _ in range(3):
            assert client.get("/api/v1/me/").status_code == 200
        response = client.get("/api/v1/me/")
    body = assert_error(response, 429, "throttled")
    assert 0 < body["retry_after"] <= 60
    assert response["Retry-After"] == str(body["retry_after"])


def test_anonymous_callers_of_public_endpoints_are_throttled_too():
    client = APIClient()
    with override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "100/min"},
        }
    ):
        statuses = [client.get("/api/schema/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("lv", "Nav norādīti pieteikšanās dati, vai tie nav derīgi."),
        ("ru", "Учётные данные не предоставлены или недействительны."),
        ("uk", "Облікові дані не надано або вони недійсні."),
        ("en", "Authentication credentials were not provided or are invalid."),
    ],
)
def test_messages_follow_accept_language_for_anonymous_callers(header, expected):
    response = APIClient().get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE=header)
    assert_error(response, 401, "not_authenticated")
    assert response.json()["message"] == expected
    assert response["Content-Language"] == header


def test_messages_follow_the_users_interface_language(api_client_for, newcomer):
    newcomer.interface_language = "lv"
    newcomer.save(update_fields=["interface_language"])
    response = api_client_for(newcomer).patch(
        "/api/v1/me/", {"level": "Z9"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    body = assert_error(response, 400, "invalid")
    assert body["message"] == "Daži ievadītie dati nav derīgi."


# --- DEBUG on (make run): still the contract, never Django's HTML pages --------


@pytest.fixture
def client_for_browser(newcomer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(newcomer)
    return client


@pytest.fixture
def debug_client(api_client_for, newcomer):
    with override_settings(DEBUG=True):
        client = api_client_for(newcomer)
        client.raise_request_exception = False
        yield client


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/no-such-thing/", 404, "not_found"),
        ("get", "/api/v1/clubs/424242/", 404, "not_found"),
        ("get", "/api/nothing", 404, "not_found"),
        # Without the slash: no redirect that would drop a POST's body.
        ("post", "/api/v1/me/volunteer-application", 404, "not_found"),
        ("put", "/api/v1/me/", 405, "method_not_allowed"),
        ("get", "/api/v1/sessions/?page=999", 404, "not_found"),
    ],
)
def test_errors_are_the_contract_with_debug_on(
    debug_client, method, path, status, code
):
    assert_error(getattr(debug_client, method)(path), status, code)


def test_a_bug_is_a_json_500_with_debug_on_and_is_logged(
    debug_client, monkeypatch, caplog
):
    def broken(**kwargs):
        raise RuntimeError("a bug in a selector")

    monkeypatch.setattr("clubs.selectors.club_list", broken)
    with caplog.at_level("ERROR", logger="django.request"):
        response = debug_client.get("/api/v1/clubs/")
    body = assert_error(response, 500, "server_error")
    assert "a bug in a selector" not in str(body)
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1
    assert "a bug in a selector" in str(logged[0].exc_info[1])


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_api_url_with_a_session_cookie_is_a_json_404(client_for_browser, debug):
    """A browser's unsafe request to no API URL is a 404, not a CSRF page."""
    with override_settings(DEBUG=debug):
        response = client_for_browser.delete("/api/v1/sessions/%C2%84/registration/")
    assert_error(response, 404, "not_found")


def test_pages_outside_the_api_keep_djangos_debug_pages(db):
    with override_settings(DEBUG=True):
        response = APIClient().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
