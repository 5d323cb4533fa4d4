"""Who came: attendance marked by hosts, check-in codes, and feedback."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User
from backend.api.errors import ApiError, Conflict, Forbidden, NotFound
from clubs.models import Feedback, Registration, Session
from clubs.services.registrations import (
    check_in_code_matches,
    leave_waitlist,
    session_lock,
)
from clubs.services.rooms import revoke_room_access_on_commit

# Participants may check themselves in until this long after the end.
SELF_CHECK_IN_GRACE = timedelta(minutes=30)
MARKABLE = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.ATTENDED,
    Registration.Status.NO_SHOW,
)


def _ensure_started(session: Session, *, now: datetime) -> None:
    if session.status == Session.Status.CANCELLED:
        raise Conflict(_("This session has been cancelled."), code="session_cancelled")
    if session.starts_at > now:
        raise Conflict(
            _("Attendance can be taken from the start of the session."),
            code="session_not_started",
        )


def _set_attendance(
    *, session: Session, registration: Registration, status: str, now: datetime
) -> Registration:
    """Record attendance; an attendee gets the session's exercise pack to review.

    A waitlisted person who came anyway leaves the waitlist (the people behind
    move up). Marking someone attended twice changes nothing.
    """
    if registration.status == status:
        return registration
    position = registration.waitlist_position
    registration.status = status
    registration.waitlist_position = None
    registration.attendance_marked_at = now
    registration.save(
        update_fields=[
            "status",
            "waitlist_position",
            "attendance_marked_at",
            "updated_at",
        ]
    )
    if position is not None:
        leave_waitlist(session=session, position=position)
    if status == Registration.Status.ATTENDED:
        # Imported late: the exercises app is a peer, loaded on demand.
        from exercises.services import review_cards_add

        review_cards_add(user=registration.user, exercises=session.exercises.all())
    else:
        revoke_room_access_on_commit(
            session_id=session.pk, user_ids=[registration.user_id]
        )
    return registration


def attendance_mark(*, session_id: int, user_id: int, status: str) -> Registration:
    """A host marks a participant attended or no-show (from the start on)."""
    assert status in (Registration.Status.ATTENDED, Registration.Status.NO_SHOW)
    now = timezone.now()
    with transaction.atomic():
        session = session_lock(session_id=session_id)
        _ensure_started(session, now=now)
        registration = (
            session.registrations.select_for_update(of=("self",))
            .select_related("user")
            .filter(user_id=user_id, status__in=MARKABLE)
            .first()
        )
        if registration is None:
            raise NotFound(
                _("This person is not signed up for this session."),
                code="not_registered",
            )
        return _set_attendance(
            session=session, registration=registration, status=status, now=now
        )


def _wrong_code() -> ApiError:
    return ApiError(
        _("This check-in code is not right."),
        code="wrong_check_in_code",
        fields={"code": [str(_("This check-in code is not right."))]},
    )


def attendance_check_in(
    *, session_id: int, user: User, code: str, as_host: bool
) -> Registration:
    """Check-in with a code, from the start of the session on.

    ``as_host``: the host types the code a participant shows them. Otherwise
    the participant types the session's code that the host shows the room
    (until 30 minutes after the end).
    """
    code = code.strip().upper()
    now = timezone.now()
    with transaction.atomic():
        session = session_lock(session_id=session_id)
        _ensure_started(session, now=now)
        registrations = session.registrations.select_for_update(
            of=("self",)
        ).select_related("user")
        if as_host:
            registration = registrations.filter(
                check_in_code=code, status__in=MARKABLE
            ).first()
            if registration is None:
                raise _wrong_code()
        else:
            registration = registrations.filter(user=user, status__in=MARKABLE).first()
            if registration is None:
                raise NotFound(
                    _("You are not signed up for this session."),
                    code="not_registered",
                )
            if now > session.ends_at + SELF_CHECK_IN_GRACE:
                raise Conflict(
                    _("Check-in for this session is closed."), code="check_in_closed"
                )
            if not check_in_code_matches(code, session.check_in_code):
                raise _wrong_code()
        return _set_attendance(
            session=session,
            registration=registration,
            status=Registration.Status.ATTENDED,
            now=now,
        )


def feedback_submit(
    *, session_id: int, user: User, rating: int, comment: str
) -> tuple[Feedback, bool]:
    """Leave (or change) my feedback on a session I attended; (feedback, created)."""
    attended = Registration.objects.filter(
        session_id=session_id, user=user, status=Registration.Status.ATTENDED
    ).exists()
    if not attended:
        raise Forbidden(
            _("Only people who attended the session may leave feedback."),
            code="not_attended",
        )
    with transaction.atomic():
        feedback, created = Feedback.objects.select_for_update().get_or_create(
            session_id=session_id,
            user=user,
            defaults={"rating": rating, "comment": comment},
        )
        if not created:
            feedback.rating = rating
            feedback.comment = comment
            feedback.save(update_fields=["rating", "comment", "updated_at"])
    return feedback, created
