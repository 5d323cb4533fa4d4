"""Request middleware of the API.

``RequestLimitsMiddleware`` refuses hostile request bodies before any view
parses them. Python's ``json`` recurses once per nesting level, so a body of a
few thousand ``[`` raises RecursionError (a 500) in DRF's parser and in
allauth's headless views alike. No request of ours nests deeper than a handful
of levels, so bodies nested deeper than ``JSON_MAX_DEPTH`` are answered 400
here, in the error contract (allauth's own envelope under ``/_allauth/``).

``ApiDebugErrorsMiddleware`` keeps the JSON error contract under /api/ when
DEBUG is on (``make run``). With DEBUG off, ``handler500`` answers in the
contract; with DEBUG on, Django answers an uncaught exception with its HTML
debug page instead, which breaks clients during development. It answers JSON
and logs the traceback as Django would. Unknown URLs under /api/ are covered by
a catch-all route (``backend.urls``), so they never reach Django's debug 404
page either.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from backend.api.errors import error_body, server_error_message, too_large_response

logger = logging.getLogger("django.request")

_OPEN = {ord("["), ord("{")}
_CLOSE = {ord("]"), ord("}")}
_QUOTE = ord('"')
_BACKSLASH = ord("\\")


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """True when the JSON text nests deeper than ``limit`` (strings skipped)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # cannot nest that deep: the usual case, no scan
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _BACKSLASH:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > limit:
                return True
        elif byte in _CLOSE:
            depth -= 1
    return False


def _too_deep_response(request: HttpRequest) -> HttpResponse:
    message = _("The JSON body is nested too deeply.")
    if request.path.startswith("/_allauth/"):
        return JsonResponse(
            {"status": 400, "errors": [{"code": "invalid", "message": message}]},
            status=400,
        )
    return JsonResponse(error_body("parse_error", message), status=400)


class RequestLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "OPTIONS") and (
            request.content_type or ""
        ).endswith("json"):
            try:
                body = request.body
            except RequestDataTooBig:
                return too_large_response(request)
            if json_depth_exceeds(body, settings.JSON_MAX_DEPTH):
                return _too_deep_response(request)
        return self.get_response(request)


class ApiDebugErrorsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not (settings.DEBUG and request.path.startswith("/api/")):
            return None  # handler500 (DEBUG off) or Django's page (not the API)
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"status_code": 500, "request": request},
        )
        response = JsonResponse(
            error_body("server_error", server_error_message()), status=500
        )
        # Logged above, with the traceback: Django need not log it again.
        response._has_been_logged = True
        return response
