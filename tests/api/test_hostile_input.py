"""Hostile input gets a 4xx in the error contract, never a 500 (issue #9)."""

import json

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.api.test_error_contract import assert_error
from tests.exercises.factories import ExerciseFactory, LatvianProfileFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 3000 + "1" + "}" * 3000


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT, '{"display_name": ' + DEEP + "}"])
def test_deeply_nested_json_on_the_profile_is_400(api_client_for, newcomer, body):
    response = api_client_for(newcomer).patch(
        "/api/v1/me/", body, content_type="application/json"
    )
    assert_error(response, 400, "parse_error")
    newcomer.refresh_from_db()
    assert newcomer.display_name == "Olena"


def test_deeply_nested_answer_to_an_exercise_is_400(api_client_for, newcomer):
    LatvianProfileFactory()
    exercise = ExerciseFactory(kind="choice")
    body = '{"client_attempt_id": "8d1c0d35-9f37-4c5e-9b1e-0d6a1b1f7a11", "answer": '
    response = api_client_for(newcomer).post(
        f"/api/v1/exercises/{exercise.pk}/attempts/",
        body + DEEP + "}",
        content_type="application/json",
    )
    assert_error(response, 400, "parse_error")
    assert not newcomer.attempts.exists()


def test_ordinary_nesting_and_brackets_in_strings_still_pass(api_client_for, newcomer):
    # Brackets inside strings do not count as nesting.
    name = "[[[[" * 20
    response = api_client_for(newcomer).patch(
        "/api/v1/me/", {"display_name": name[:80]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == name[:80]


@pytest.mark.parametrize("client_kind", ["app", "browser"])
def test_deeply_nested_json_on_allauth_login_is_400_in_its_envelope(client_kind):
    UserFactory(email="jana@example.org")
    response = APIClient().post(
        f"/_allauth/{client_kind}/v1/auth/login",
        '{"email": "jana@example.org", "password": ' + DEEP + "}",
        content_type="application/json",
    )
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["status"] == 400
    assert body["errors"][0]["code"] == "invalid"


# --- Dates near the ends of the calendar -----------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=0001-01-01", "from"),
        ("from=0001-01-01T00:00:00", "from"),
        ("to=0001-01-01", "to"),
        ("to=9999-12-31T23:59:59-05:00", "to"),
        ("from=9999-12-31", "from"),
        ("from=1899-12-31", "from"),
    ],
)
def test_sessions_filter_far_dates_are_400_naming_the_field(
    api_client_for, newcomer, query, field
):
    response = api_client_for(newcomer).get(f"/api/v1/sessions/?{query}")
    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == [field]


def test_sessions_filter_ordinary_dates_still_work(api_client_for, newcomer):
    response = api_client_for(newcomer).get(
        "/api/v1/sessions/?from=2026-01-01&to=2999-12-31"
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("to=0001-01-01", "to"),
        ("from=0001-01-01&to=0001-12-31", "from"),
        ("from=9999-12-01&to=9999-12-31", "from"),
        ("to=9999-12-31", "to"),
    ],
)
def test_participation_report_far_dates_are_400_naming_the_field(
    api_client_for, staff, query, field
):
    response = api_client_for(staff).get(f"/api/v1/reports/participation/?{query}")
    body = assert_error(response, 400, "invalid")
    assert field in body["fields"]


# --- Sizes ------------------------------------------------------------------


def test_body_over_the_upload_limit_is_413_in_the_contract(api_client_for, newcomer):
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    body = json.dumps({"display_name": "x" * size})
    response = api_client_for(newcomer).patch(
        "/api/v1/me/", body, content_type="application/json"
    )
    assert_error(response, 413, "too_large")
    newcomer.refresh_from_db()
    assert newcomer.display_name == "Olena"


def test_body_over_the_upload_limit_on_allauth_is_413():
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = APIClient().post(
        "/_allauth/app/v1/auth/login",
        json.dumps({"email": "a@example.org", "password": "p" * size}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"


def test_too_many_query_parameters_is_400_in_the_contract(api_client_for, newcomer):
    query = "&".join(
        f"p{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)
    )
    response = api_client_for(newcomer).get(f"/api/v1/sessions/?{query}")
    assert_error(response, 400, "bad_request")
