from django.urls import path, re_path, register_converter

from clubs.apis import calendars, clubs, cohosts, participation, reports, sessions


class IdConverter:
    """A database id: at most 18 digits, so no lookup overflows a 64-bit column."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "clubs_id")

app_name = "clubs"

urlpatterns = [
    path("clubs/", clubs.ClubListApi.as_view(), name="club-list"),
    path(
        "clubs/<clubs_id:club_id>/", clubs.ClubDetailApi.as_view(), name="club-detail"
    ),
    path(
        "clubs/<clubs_id:club_id>/sessions/",
        clubs.ClubSessionCreateApi.as_view(),
        name="club-session-create",
    ),
    path(
        "clubs/<clubs_id:club_id>/cohost-invitations/",
        cohosts.ClubCoHostInvitationsApi.as_view(),
        name="club-cohost-invitations",
    ),
    path(
        "me/cohost-invitations/",
        cohosts.MyCoHostInvitationsApi.as_view(),
        name="my-cohost-invitations",
    ),
    path(
        "me/cohost-invitations/<clubs_id:invitation_id>/accept/",
        cohosts.MyCoHostInvitationDecideApi.as_view(accept=True),
        name="my-cohost-invitation-accept",
    ),
    path(
        "me/cohost-invitations/<clubs_id:invitation_id>/decline/",
        cohosts.MyCoHostInvitationDecideApi.as_view(accept=False),
        name="my-cohost-invitation-decline",
    ),
    path("sessions/", sessions.SessionListApi.as_view(), name="session-list"),
    path(
        "sessions/<clubs_id:session_id>/",
        sessions.SessionDetailApi.as_view(),
        name="session-detail",
    ),
    path(
        "sessions/<clubs_id:session_id>/cancel/",
        sessions.SessionCancelApi.as_view(),
        name="session-cancel",
    ),
    path(
        "sessions/<clubs_id:session_id>/registration/",
        participation.RegistrationApi.as_view(),
        name="session-registration",
    ),
    path(
        "sessions/<clubs_id:session_id>/participants/",
        participation.ParticipantListApi.as_view(),
        name="session-participants",
    ),
    path(
        "sessions/<clubs_id:session_id>/attendance/",
        participation.AttendanceApi.as_view(),
        name="session-attendance",
    ),
    path(
        "sessions/<clubs_id:session_id>/check-in/",
        participation.CheckInApi.as_view(),
        name="session-check-in",
    ),
    path(
        "sessions/<clubs_id:session_id>/feedback/",
        participation.FeedbackApi.as_view(),
        name="session-feedback",
    ),
    path(
        "sessions/<clubs_id:session_id>/calendar.ics",
        calendars.SessionCalendarApi.as_view(),
        name="session-calendar",
    ),
    path("me/calendar/", calendars.MyCalendarApi.as_view(), name="my-calendar"),
    path(
        "me/calendar/reset/",
        calendars.MyCalendarResetApi.as_view(),
        name="my-calendar-reset",
    ),
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{16,64})\.ics$",
        calendars.CalendarFeedApi.as_view(),
        name="calendar-feed",
    ),
    path(
        "reports/participation/",
        reports.ParticipationReportApi.as_view(),
        name="participation-report",
    ),
]
