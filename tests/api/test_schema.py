"""The OpenAPI schema is valid and documents the error statuses."""

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    # --validate checks against the OpenAPI 3 spec; --fail-on-warn turns every
    # generator warning (an undocumented field or view) into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_every_api_path_is_versioned(schema):
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_every_protected_operation_documents_401_403_and_429(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert "429" in responses, (method, path)
        if operation.get("security") != [{}]:
            assert {"401", "403"} <= set(responses), (method, path)


def test_operations_with_input_document_400_and_objects_404(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        if method in {"post", "put", "patch"}:
            assert "400" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)


def test_errors_reference_the_one_error_component(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message"}
    responses = schema["paths"]["/api/v1/me/"]["get"]["responses"]
    ref = responses["401"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/Error"


def test_session_token_auth_is_described(schema):
    scheme = schema["components"]["securitySchemes"]["sessionToken"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Session-Token",
        "description": "Session token from allauth headless (app client).",
    }


@pytest.mark.django_db
def test_schema_and_swagger_ui_are_served_without_auth():
    client = APIClient()
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def _schema_of(schema: dict, response: dict) -> dict:
    body = response["content"]["application/json"]["schema"]
    if "$ref" in body:
        return schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    return body


def test_no_operation_answers_a_bare_array(schema):
    for path, method, operation in operations(schema):
        for code, response in operation["responses"].items():
            if "application/json" in response.get("content", {}):
                assert _schema_of(schema, response).get("type") != "array", (
                    method,
                    path,
                    code,
                )


LISTS = {
    "/api/v1/topics/",
    "/api/v1/exercises/",
    "/api/v1/attempts/",
    "/api/v1/disputes/",
    "/api/v1/clubs/",
    "/api/v1/sessions/",
    "/api/v1/sessions/{session_id}/participants/",
    "/api/v1/volunteer-applications/",
    "/api/v1/rooms/",
    "/api/v1/reports/messages/",
    "/api/v1/me/disputes/",
    "/api/v1/clubs/{club_id}/cohost-invitations/",
    "/api/v1/me/cohost-invitations/",
}


@pytest.mark.parametrize("path", sorted(LISTS))
def test_every_list_is_the_page_object_with_its_parameters(schema, path):
    operation = schema["paths"][path]["get"]
    page = _schema_of(schema, operation["responses"]["200"])
    assert set(page["required"]) >= {"count", "results"}
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert page["properties"]["results"]["type"] == "array"
    assert page["properties"]["next"]["nullable"] is True
    query = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert {"page", "page_size"} <= query
    # Bad query parameters are a 400, a page past the last one a 404.
    assert {"400", "404"} <= set(operation["responses"])


def test_every_paginated_operation_is_a_known_list(schema):
    paginated = {
        path
        for path, method, operation in operations(schema)
        if any(p["name"] == "page" for p in operation.get("parameters", []))
    }
    assert paginated == LISTS


def test_operations_with_query_parameters_document_400(schema):
    for path, method, operation in operations(schema):
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in operation["responses"], (method, path)


def test_errors_are_documented_as_json_only(schema):
    for path, method, operation in operations(schema):
        for code, response in operation["responses"].items():
            if code >= "400":
                assert set(response["content"]) == {"application/json"}, (
                    method,
                    path,
                    code,
                )


@pytest.mark.parametrize(
    "path",
    ["/api/v1/calendar/{token}.ics", "/api/v1/sessions/{session_id}/calendar.ics"],
)
def test_calendar_files_offer_no_format_parameter(schema, path):
    operation = schema["paths"][path]["get"]
    assert "format" not in {p["name"] for p in operation.get("parameters", [])}
    assert set(operation["responses"]["200"]["content"]) == {"text/calendar"}
