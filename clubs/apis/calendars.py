from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.errors import NotFound
from clubs import access, selectors
from clubs.renderers import ICalendarRenderer, JsonErrorsMixin, OnlyFormatNegotiation
from clubs.serializers import CalendarUrlSerializer
from clubs.services import calendars

ICS_RESPONSE = {
    (200, "text/calendar"): OpenApiResponse(
        OpenApiTypes.STR, description="An iCalendar (RFC 5545) file."
    )
}


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


class SessionCalendarApi(JsonErrorsMixin, APIView):
    renderer_classes = [ICalendarRenderer]
    content_negotiation_class = OnlyFormatNegotiation

    @extend_schema(responses=ICS_RESPONSE, summary="A session as an .ics file")
    def get(self, request: Request, session_id: int) -> HttpResponse:
        session = access.session_get(user=request.user, session_id=session_id)
        body = calendars.session_ics(
            session=session,
            show_online_url=selectors.session_can_see_online_url(
                session=session, user=request.user
            ),
        )
        return _ics(body, f"runa-session-{session.pk}.ics")


def _feed_url(request: Request, token: str) -> str:
    return request.build_absolute_uri(
        reverse("clubs:calendar-feed", kwargs={"token": token})
    )


class MyCalendarApi(APIView):
    @extend_schema(
        responses=CalendarUrlSerializer,
        summary="The secret URL of my calendar feed (keep it private)",
    )
    def get(self, request: Request) -> Response:
        feed = calendars.calendar_feed_get_or_create(user=request.user)
        return Response({"url": _feed_url(request, feed.token)})


class MyCalendarResetApi(APIView):
    @extend_schema(
        request=None,
        responses=CalendarUrlSerializer,
        summary="A new feed URL; the old one stops working",
    )
    def post(self, request: Request) -> Response:
        feed = calendars.calendar_feed_reset(user=request.user)
        return Response({"url": _feed_url(request, feed.token)})


class CalendarFeedApi(JsonErrorsMixin, APIView):
    """The feed itself: calendar apps cannot send headers, the token is the key."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [ICalendarRenderer]
    content_negotiation_class = OnlyFormatNegotiation

    @extend_schema(
        responses=ICS_RESPONSE,
        summary="My sessions as a calendar feed (no auth header: the token is it)",
    )
    def get(self, request: Request, token: str) -> HttpResponse:
        user = calendars.calendar_feed_user(token=token)
        if user is None:
            raise NotFound()
        return _ics(calendars.feed_ics(user=user), "runa.ics")
