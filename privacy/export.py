"""The export of everything Runa keeps about one person (GDPR art. 15 and 20).

``user_export`` builds one JSON-ready document (its shape is in docs/api.md).
Other people appear in it by display name at most: never their e-mail, id or
their own texts (the body of a message I corrected or reported is theirs).

Every model of the project is either exported (``EXPORTED``: model label to the
document's key) or declared as holding no personal data (``NOT_PERSONAL``, with
the reason). tests/privacy/test_export.py fills every model and fails for one
that is in neither, so a new model cannot silently escape the export.
"""

from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone

from backend.accounts.models import User, VolunteerApplication
from clubs.models import (
    CalendarFeed,
    Club,
    CoHostInvitation,
    Feedback,
    Registration,
    Reminder,
)
from exercises.models import (
    Attempt,
    Dispute,
    PlacementTest,
    PracticeDay,
    ReviewCard,
)
from realtime.models import Correction, Message, MessageReport, Mute, ReadMarker

EXPORT_FORMAT = "runa-export"
EXPORT_VERSION = 1

EXPORTED: dict[str, str] = {
    "accounts.user": "profile",
    "accounts.volunteerapplication": "volunteer_applications",
    "exercises.attempt": "attempts",
    "exercises.reviewcard": "review_cards",
    "exercises.practiceday": "practice_days",
    "exercises.placementtest": "placement_tests",
    "exercises.dispute": "disputes",
    "clubs.registration": "registrations",
    "clubs.reminder": "reminders",
    "clubs.feedback": "feedback",
    "clubs.calendarfeed": "calendar_feed",
    "clubs.cohostinvitation": "cohost_invitations",
    "realtime.message": "messages",
    "realtime.correction": "corrections_made",
    "realtime.messagereport": "reports_filed",
    "realtime.mute": "mutes",
    "realtime.readmarker": "read_markers",
}

NOT_PERSONAL: dict[str, str] = {
    "exercises.topic": "course content written by staff",
    "exercises.languageprofile": "grading rules of a language (content)",
    "exercises.exercise": "course content written by staff",
    "exercises.acceptedanswer": (
        "course content: an answer staff accepted when judging a dispute; the "
        "learner's side is their dispute (answer_added). It names the judging "
        "staff member, which a staff export does not include yet"
    ),
    "clubs.club": (
        "a public club listing; the clubs I host are in profile.hosted_clubs"
    ),
    "clubs.session": (
        "a public meeting of a club; the ones I signed up for are described "
        "in registrations"
    ),
    "realtime.room": "a session's chat room: a message counter, nothing personal",
}

# Project apps whose models must be covered (Django's and allauth's are not
# ours; allauth's e-mail addresses are exported in the profile all the same).
PROJECT_APPS = ("accounts", "exercises", "clubs", "realtime", "privacy")


def _at(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _name(user: User | None) -> str:
    return str(user.public_name) if user is not None else ""


def _session(session) -> dict[str, Any]:
    return {
        "id": session.pk,
        "club_name": session.club.name,
        "topic": session.topic,
        "starts_at": _at(session.starts_at),
        "ends_at": _at(session.ends_at),
        "status": session.status,
    }


def _profile(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "display_name": user.display_name,
        "interface_language": user.interface_language,
        "native_languages": user.native_languages,
        "target_language": user.target_language,
        "level": user.level,
        "time_zone": user.time_zone,
        "volunteer_status": user.volunteer_status,
        "is_staff": user.is_staff,
        "date_joined": _at(user.date_joined),
        "last_login": _at(user.last_login),
        "privacy_notice_version": user.privacy_notice_version,
        "privacy_notice_shown_at": _at(user.privacy_notice_shown_at),
        "hosted_clubs": [
            {"id": club.pk, "name": club.name}
            for club in Club.objects.filter(hosts=user).order_by("pk")
        ],
    }


def _rows(queryset, rename: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Plain rows for the biggest sections: ``values()`` skips building model
    instances (a heavy user has tens of thousands of attempts); datetimes
    become ISO strings and ``rename`` maps lookups to the document's keys."""
    rename = rename or {}
    return [
        {
            rename.get(key, key): _at(value) if isinstance(value, datetime) else value
            for key, value in row.items()
        }
        for row in queryset
    ]


def _learning(user: User) -> dict[str, list[dict[str, Any]]]:
    attempts = (
        Attempt.objects.filter(user=user)
        .order_by("answered_at", "pk")
        .values(
            "id",
            "answer",
            "verdict",
            "feedback",
            "client_attempt_id",
            "answered_at",
            "duration_ms",
            "created_at",
            "exercise__key",
        )
    )
    cards = (
        ReviewCard.objects.filter(user=user)
        .order_by("pk")
        .values(
            "id",
            "source",
            "state",
            "due_at",
            "last_review_at",
            "reviews",
            "correct",
            "practice_ms",
            "created_at",
            "exercise__key",
        )
    )
    key = {"exercise__key": "exercise"}
    return {
        "attempts": [
            {**row, "client_attempt_id": str(row["client_attempt_id"])}
            for row in _rows(attempts, key)
        ],
        "review_cards": _rows(cards, key),
        # The days I practised, kept for the streak.
        "practice_days": [
            {"id": pk, "language": language, "day": day.isoformat()}
            for pk, language, day in PracticeDay.objects.filter(user=user)
            .order_by("day", "language")
            .values_list("pk", "language", "day")
        ],
        "placement_tests": [
            {
                "id": t.pk,
                "language": t.language,
                "status": t.status,
                "current_level": t.current_level,
                "items": t.items,
                "result_level": t.result_level,
                "created_at": _at(t.created_at),
                "finished_at": _at(t.finished_at),
            }
            for t in PlacementTest.objects.filter(user=user).order_by("pk")
        ],
        "disputes": [
            {
                "id": d.pk,
                "attempt_id": d.attempt_id,
                "comment": d.comment,
                "status": d.status,
                "answer_added": d.answer_added,
                "decided_by_name": _name(d.decided_by),
                "created_at": _at(d.created_at),
                "decided_at": _at(d.decided_at),
            }
            for d in Dispute.objects.filter(user=user)
            .select_related("decided_by")
            .order_by("pk")
        ],
    }


def _clubs(user: User) -> dict[str, Any]:
    registrations = Registration.objects.filter(user=user).select_related(
        "session__club"
    )
    feed = CalendarFeed.objects.filter(user=user).first()
    return {
        "registrations": [
            {
                "id": r.pk,
                "session": _session(r.session),
                "status": r.status,
                "waitlist_position": r.waitlist_position,
                "check_in_code": r.check_in_code,
                "created_at": _at(r.created_at),
                "confirmed_at": _at(r.confirmed_at),
                "cancelled_at": _at(r.cancelled_at),
                "attendance_marked_at": _at(r.attendance_marked_at),
            }
            for r in registrations.order_by("pk")
        ],
        "reminders": _rows(
            Reminder.objects.filter(registration__user=user)
            .order_by("pk")
            .values("id", "registration_id", "kind", "sent_at")
        ),
        "feedback": [
            {
                "id": f.pk,
                "session": _session(f.session),
                "rating": f.rating,
                "comment": f.comment,
                "created_at": _at(f.created_at),
                "updated_at": _at(f.updated_at),
            }
            for f in Feedback.objects.filter(user=user)
            .select_related("session__club")
            .order_by("pk")
        ],
        "cohost_invitations": [
            {
                "id": i.pk,
                "club": {"id": i.club_id, "name": i.club.name},
                "invited_by_name": _name(i.invited_by),
                "status": i.status,
                "created_at": _at(i.created_at),
                "decided_at": _at(i.decided_at),
            }
            for i in CoHostInvitation.objects.filter(invitee=user)
            .select_related("club", "invited_by")
            .order_by("pk")
        ],
        # Invitations I sent as a host: the invitee by display name only.
        "cohost_invitations_sent": [
            {
                "id": i.pk,
                "club": {"id": i.club_id, "name": i.club.name},
                "invitee_name": _name(i.invitee),
                "status": i.status,
                "created_at": _at(i.created_at),
                "decided_at": _at(i.decided_at),
            }
            for i in CoHostInvitation.objects.filter(invited_by=user)
            .exclude(invitee=user)
            .select_related("club", "invitee")
            .order_by("pk")
        ],
        # The token is left out: it is a live credential, and an export file
        # is easily stored somewhere less safe. GET /api/v1/me/calendar/ shows it.
        "calendar_feed": None
        if feed is None
        else {
            "id": feed.pk,
            "created_at": _at(feed.created_at),
            "reset_at": _at(feed.reset_at),
        },
    }


def _chat(user: User) -> dict[str, list[dict[str, Any]]]:
    received = Correction.objects.filter(message__author=user).select_related(
        "author", "message"
    )
    made = Correction.objects.filter(author=user).select_related("message__author")
    reports = MessageReport.objects.filter(reporter=user).select_related("message")
    mutes = Mute.objects.filter(user=user).select_related("muted_by")
    imposed = Mute.objects.filter(muted_by=user).exclude(user=user)
    return {
        "messages": _rows(
            Message.objects.filter(author=user)
            .order_by("pk")
            .values(
                "id",
                "room_id",
                "seq",
                "body",
                "created_at",
                "deleted_at",
                "reply_to_id",
            ),
            {"reply_to_id": "reply_to"},
        ),
        # A correction I made holds my text; the sentence I corrected is the
        # other person's, so only its author's name appears.
        "corrections_made": [
            {
                "id": c.pk,
                "message_id": c.message_id,
                "room_id": c.message.room_id,
                "message_author_name": _name(c.message.author),
                "body": c.body,
                "diff": c.diff,
                "created_at": _at(c.created_at),
            }
            for c in made.order_by("pk")
        ],
        "corrections_received": [
            {
                "id": c.pk,
                "message_id": c.message_id,
                "room_id": c.message.room_id,
                "corrector_name": _name(c.author),
                "body": c.body,
                "diff": c.diff,
                "created_at": _at(c.created_at),
            }
            for c in received.order_by("pk")
        ],
        "reports_filed": [
            {
                "id": r.pk,
                "message_id": r.message_id,
                "room_id": r.message.room_id,
                "reason": r.reason,
                "status": r.status,
                "created_at": _at(r.created_at),
                "resolved_at": _at(r.resolved_at),
            }
            for r in reports.order_by("pk")
        ],
        "mutes": [
            {
                "id": m.pk,
                "room_id": m.room_id,
                "muted_by_name": _name(m.muted_by),
                "until": _at(m.until),
                "created_at": _at(m.created_at),
            }
            for m in mutes.order_by("pk")
        ],
        # Mutes I imposed as a host: the member by display name only.
        "mutes_imposed": [
            {
                "id": m.pk,
                "room_id": m.room_id,
                "member_name": _name(m.user),
                "until": _at(m.until),
                "created_at": _at(m.created_at),
            }
            for m in imposed.select_related("user").order_by("pk")
        ],
        "read_markers": [
            {"id": r.pk, "room_id": r.room_id, "last_read_seq": r.last_read_seq}
            for r in ReadMarker.objects.filter(user=user).order_by("pk")
        ],
    }


def user_export(*, user: User) -> dict[str, Any]:
    """Everything Runa stores about ``user``, as one JSON-ready document."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _at(timezone.now()),
        "profile": _profile(user),
        "volunteer_applications": [
            {
                "id": a.pk,
                "motivation": a.motivation,
                "languages": a.languages,
                "status": a.status,
                "created_at": _at(a.created_at),
                "decided_at": _at(a.decided_at),
            }
            for a in VolunteerApplication.objects.filter(user=user).order_by("pk")
        ],
        **_learning(user),
        **_clubs(user),
        **_chat(user),
    }
