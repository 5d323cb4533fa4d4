"""Renderers for the non-JSON answers: .ics calendars and CSV reports.

Views that answer in these formats still answer errors as JSON (the one
error contract): see ``JsonErrorsMixin``.
"""

from rest_framework import renderers
from rest_framework.negotiation import BaseContentNegotiation
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


class OnlyFormatNegotiation(BaseContentNegotiation):
    """The view's one renderer, whatever ``Accept`` or ``?format=`` say.

    Calendar apps send all sorts of ``Accept`` headers; a feed only ever answers
    text/calendar, so there is nothing to negotiate (and no ``format`` to offer).
    """

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
