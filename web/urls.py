from django.urls import path

# Importing the API's URLs registers the ``clubs_id`` converter: same ids.
from clubs import urls as clubs_api_urls  # noqa: F401
from web.views import (
    accounts,
    clubs,
    disputes,
    host,
    learning,
    reports,
    rooms,
    volunteer,
)

app_name = "web"

urlpatterns = [
    path("", accounts.landing, name="landing"),
    path("language/", accounts.set_language, name="set-language"),
    path("profile/", accounts.profile, name="profile"),
    path("profile/delete/", accounts.account_delete, name="account-delete"),
    path("placement/", learning.placement, name="placement"),
    path("placement/start/", learning.placement_start, name="placement-start"),
    path("practice/", learning.practice, name="practice"),
    path("progress/", learning.progress, name="progress"),
    path("rooms/", rooms.room_list, name="rooms"),
    path("rooms/<int:room_id>/", rooms.room_detail, name="room"),
    path("sw.js", accounts.service_worker, name="service-worker"),
    # --- clubs (newcomers) ---
    path("clubs/", clubs.session_list, name="clubs"),
    path("sessions/<clubs_id:session_id>/", clubs.session_detail, name="session"),
    path(
        "sessions/<clubs_id:session_id>/sign-up/",
        clubs.session_sign_up,
        name="session-sign-up",
    ),
    path(
        "sessions/<clubs_id:session_id>/cancel-sign-up/",
        clubs.session_cancel_registration,
        name="session-cancel-sign-up",
    ),
    path(
        "sessions/<clubs_id:session_id>/check-in/",
        clubs.session_check_in,
        name="session-check-in",
    ),
    path(
        "sessions/<clubs_id:session_id>/feedback/",
        clubs.session_feedback,
        name="session-feedback",
    ),
    path("me/sessions/", clubs.my_sessions, name="my-sessions"),
    path("me/calendar/reset/", clubs.calendar_feed_reset, name="calendar-feed-reset"),
    path("volunteer/", volunteer.volunteer, name="volunteer"),
    # Hosting (the ids are the API's; see docs/web.md "Hosting").
    path("host/", host.host_home, name="host"),
    path(
        "host/invitations/<clubs_id:invitation_id>/",
        host.invitation_decide,
        name="host-invitation",
    ),
    path("host/clubs/new/", host.club_new, name="host-club-new"),
    path("host/clubs/<clubs_id:club_id>/edit/", host.club_edit, name="host-club-edit"),
    path(
        "host/clubs/<clubs_id:club_id>/cohosts/",
        host.cohost_invite,
        name="host-cohost-invite",
    ),
    path(
        "host/clubs/<clubs_id:club_id>/cohosts/<int:user_id>/remove/",
        host.cohost_remove,
        name="host-cohost-remove",
    ),
    path(
        "host/clubs/<clubs_id:club_id>/sessions/new/",
        host.session_new,
        name="host-session-new",
    ),
    path(
        "host/sessions/<clubs_id:session_id>/", host.session_host, name="host-session"
    ),
    path(
        "host/sessions/<clubs_id:session_id>/edit/",
        host.session_edit,
        name="host-session-edit",
    ),
    path(
        "host/sessions/<clubs_id:session_id>/cancel/",
        host.session_cancel,
        name="host-session-cancel",
    ),
    path(
        "host/sessions/<clubs_id:session_id>/code/",
        host.session_code,
        name="host-session-code",
    ),
    path(
        "host/sessions/<clubs_id:session_id>/attendance/",
        host.attendance_mark,
        name="host-attendance",
    ),
    path(
        "host/sessions/<clubs_id:session_id>/check-in/",
        host.check_in_by_code,
        name="host-check-in",
    ),
    path("disputes/", disputes.dispute_queue, name="disputes"),
    path(
        "disputes/<clubs_id:dispute_id>/decide/",
        disputes.dispute_decide,
        name="dispute-decide",
    ),
    path(
        "reports/participation/",
        reports.participation_report,
        name="participation-report",
    ),
]
