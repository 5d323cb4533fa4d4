"""OpenAPI generation: every endpoint documents the error statuses it can answer."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable snake_case code to switch on.")
    message = serializers.CharField(help_text="Human text in the caller's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Only when input fields are at fault: field name to messages.",
    )
    retry_after = serializers.IntegerField(
        required=False, help_text="Seconds to wait (429 and 503 only)."
    )

    class Meta:
        ref_name = "Error"


_DESCRIPTIONS = {
    400: "Invalid input (code `invalid`, `parse_error` or a domain code).",
    401: "Not authenticated (code `not_authenticated`).",
    403: "Authenticated but not allowed (code `permission_denied` or a domain code).",
    404: "No such object, or one the caller may not see (code `not_found`).",
    409: "Conflicts with the current state (a domain code).",
    429: "Throttled (code `throttled`, with `retry_after`).",
    503: "The database or Redis did not answer (code `service_unavailable`, "
    "with `retry_after`): retry shortly.",
}


class AutoSchema(SpectacularAutoSchema):
    """Adds the error responses a view can produce to every operation.

    A view lists extra domain statuses in ``error_statuses`` (e.g. ``(409,)``).
    Query parameters are validated, so an operation with any can answer 400;
    a page past the last one is a 404.
    """

    def _error_statuses(self, parameters: list[dict]) -> set[int]:
        public = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        codes = {429, 503}
        if not public:
            codes |= {401, 403}
        if self.method in ("POST", "PUT", "PATCH") or any(
            p["in"] == "query" for p in parameters
        ):
            codes.add(400)
        if "{" in self.path or any(p["name"] == "page" for p in parameters):
            codes.add(404)
        codes |= set(getattr(self.view, "error_statuses", ()))
        return codes

    def _get_request_body(self, direction="request"):
        # drf-spectacular documents bodies of PUT/PATCH/POST only; a DELETE
        # that declares one (DELETE /api/v1/me/ takes the password) has it too.
        if self.method == "DELETE" and self.get_request_serializer() is not None:
            self.method = "POST"
            try:
                return super()._get_request_body(direction)
            finally:
                self.method = "DELETE"
        return super()._get_request_body(direction)

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in sorted(self._error_statuses(operation.get("parameters", []))):
            key = str(code)
            if key not in responses:
                responses[key] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[code]),
                    key,
                    # Errors are JSON whatever the view's other formats (.ics, CSV).
                    media_types=["application/json"],
                )
        operation["responses"] = dict(sorted(responses.items()))
        return operation


class SessionTokenScheme(OpenApiAuthenticationExtension):
    target_class = "backend.api.authentication.SessionTokenAuthentication"
    name = "sessionToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": "Session token from allauth headless (app client).",
        }


class BrowserSessionScheme(OpenApiAuthenticationExtension):
    target_class = "backend.api.authentication.BrowserSessionAuthentication"
    name = "browserSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
