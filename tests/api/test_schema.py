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
