"""The one error contract of the API.

Every error body is ``{"code": "...", "message": "...", "fields": {...}}``:
``code`` is stable snake_case that clients switch on, ``message`` is human text
in the caller's language, ``fields`` appears only when input fields are at fault.
Services raise ``ApiError`` subclasses; DRF's and Django's own exceptions are
translated here, so no view formats an error by hand.
"""

import logging
import sys
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """A business-rule error with a stable code. Subclass or instantiate."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "bad_request"
    default_message = gettext_lazy("The request could not be processed.")

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        status_code: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.code = code or self.code
        self.message = str(message or self.default_message)
        self.fields = fields
        self.extra = extra or {}
        if status_code is not None:
            self.status_code = status_code
        super().__init__(detail=self.message, code=self.code)


class InvalidInput(ApiError):
    code = "invalid"
    default_message = gettext_lazy("Some of the input is not valid.")


class NotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"
    default_message = gettext_lazy("Not found.")


class Forbidden(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "permission_denied"
    default_message = gettext_lazy("You are not allowed to do this.")


class Conflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"
    default_message = gettext_lazy("This conflicts with the current state.")


def error_body(
    code: str, message: str, fields: dict | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return body


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into ``{"a.b": ["message", ...]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                name = f"{prefix}.{index}" if prefix else str(index)
                out.update(_flatten(item, name))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def _validation_body(detail: Any) -> dict[str, Any]:
    fields = _flatten(detail)
    message = _("Some of the input is not valid.")
    non_field = fields.get("non_field_errors")
    if non_field and len(fields) == 1:
        message = non_field[0]
    return error_body("invalid", message, fields)


_DRF_CODES: list[tuple[type[exceptions.APIException], str]] = [
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "not_authenticated"),
    (exceptions.PermissionDenied, "permission_denied"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.ParseError, "parse_error"),
    (exceptions.Throttled, "throttled"),
]


# Seconds an app is asked to wait after a 503 before it retries.
OUTAGE_RETRY_AFTER = 5


def _outage_errors() -> tuple[type[Exception], ...]:
    """What the database or Redis raise when they do not answer. Redis's
    classes are looked up only if its client is loaded: an embedded process
    never loads it, and then nothing can raise them."""
    errors: list[type[Exception]] = [OperationalError, InterfaceError]
    if redis_errors := sys.modules.get("redis.exceptions"):
        errors += [redis_errors.ConnectionError, redis_errors.TimeoutError]
    if django_redis := sys.modules.get("django_redis.exceptions"):
        errors.append(django_redis.ConnectionInterrupted)
    return tuple(errors)


def _outage_response(exc: Exception, context: dict) -> Response:
    # Logged as an error, not raised: an outage is not a bug in the request,
    # and the app should retry rather than report a failure.
    request = context.get("request")
    logger.error(
        "API %s %s: the database or Redis did not answer",
        getattr(request, "method", "?"),
        getattr(request, "path", "?"),
        exc_info=exc,
    )
    set_rollback()
    body = error_body(
        "service_unavailable",
        _("The service is unavailable for a moment. Try again shortly."),
        retry_after=OUTAGE_RETRY_AFTER,
    )
    return Response(
        body,
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(OUTAGE_RETRY_AFTER)},
    )


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, _outage_errors()):
        return _outage_response(exc, context)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {"non_field_errors": exc.messages}
        )

    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: Django logs it and answers 500

    headers: dict[str, str] = {}
    if isinstance(exc, ApiError):
        body = error_body(exc.code, exc.message, exc.fields, **exc.extra)
    elif isinstance(exc, exceptions.ValidationError):
        body = _validation_body(exc.detail)
    else:
        code = next((c for cls, c in _DRF_CODES if isinstance(exc, cls)), "error")
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        extra: dict[str, Any] = {}
        if isinstance(exc, exceptions.Throttled):
            wait = int(exc.wait or 1)
            message = _("Too many requests. Try again in %(seconds)d seconds.") % {
                "seconds": wait
            }
            extra["retry_after"] = wait
            headers["Retry-After"] = str(wait)
        elif isinstance(
            exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)
        ):
            message = _("Authentication credentials were not provided or are invalid.")
        body = error_body(code, message, **extra)

    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        request = context.get("request")
        auth_header = None
        if request is not None and request.authenticators:
            auth_header = request.authenticators[0].authenticate_header(request)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header

    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def handler404(request: HttpRequest, exception: Exception) -> Any:
    if _is_api(request):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def too_large_response(request: HttpRequest) -> JsonResponse:
    """413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE (instead of Django's HTML)."""
    message = _("The request body is too large.")
    if request.path.startswith("/_allauth/"):
        body: dict[str, Any] = {
            "status": 413,
            "errors": [{"code": "too_large", "message": message}],
        }
    else:
        body = error_body("too_large", message)
    return JsonResponse(body, status=413)


def handler400(request: HttpRequest, exception: Exception) -> Any:
    if isinstance(exception, RequestDataTooBig):
        return too_large_response(request)
    if _is_api(request):
        return JsonResponse(
            error_body("bad_request", _("The request could not be processed.")),
            status=400,
        )
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def server_error_message() -> str:
    return _("Something went wrong on our side.")


@csrf_exempt  # nothing to protect; a CSRF 403 page would break the contract
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """The catch-all route under /api/: unknown URLs, DEBUG on or off."""
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


def handler500(request: HttpRequest) -> Any:
    if _is_api(request):
        return JsonResponse(
            error_body("server_error", server_error_message()), status=500
        )
    from django.views.defaults import server_error

    return server_error(request)
