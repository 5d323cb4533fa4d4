"""Renderers for the non-JSON answers: .ics calendars and CSV reports.

Views that answer in these formats still answer errors as JSON (the one
error contract): see ``JsonErrorsMixin``.
"""

from rest_framework import renderers
from rest_framework.response import Response


class ICalendarRenderer(renderers.BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else str(data).encode()


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode() if isinstance(data, str) else bytes(data)


class JsonErrorsMixin:
    """Render error responses as JSON whatever format the view answers in."""

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)
