"""Signing up, the waitlist and cancelling a registration.

Every write here locks the session row first (``select_for_update``), so on
PostgreSQL two sign-ups for the last place are decided one after the other:
places are never oversold and the waitlist keeps arrival order. (SQLite runs
one writer at a time: the settings open transactions IMMEDIATE.)

Waitlist positions stay 1..n without gaps: whoever leaves the waitlist moves
everyone behind them up one place.
"""

import secrets
from datetime import datetime

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User
from backend.api.errors import Conflict, NotFound
from clubs.models import Registration, Session, new_check_in_code
from clubs.selectors import LIVE, PLACE_HOLDING
from clubs.services.notifications import notify_promoted_on_commit
from clubs.services.rooms import revoke_room_access_on_commit


def session_lock(*, session_id: int) -> Session:
    """Lock and reload the session row (call inside a transaction)."""
    session = (
        # of=("self",): lock the session only, not the joined club row, so
        # sign-ups for different sessions of one club do not queue.
        Session.objects.select_for_update(of=("self",))
        .filter(pk=session_id)
        .select_related("club")
        .first()
    )
    if session is None:
        raise NotFound()
    return session


def ensure_open_for_changes(session: Session, *, now: datetime) -> None:
    if session.status == Session.Status.CANCELLED:
        raise Conflict(_("This session has been cancelled."), code="session_cancelled")
    if session.starts_at <= now:
        raise Conflict(
            _("This session has already started or is over."), code="session_started"
        )


def _new_code(session: Session) -> str:
    taken = set(session.registrations.values_list("check_in_code", flat=True))
    while True:
        code = new_check_in_code()
        if code not in taken:
            return code


def places_taken(session: Session) -> int:
    return session.registrations.filter(status__in=PLACE_HOLDING).count()


def registration_create(*, session_id: int, user: User) -> Registration:
    """Sign up: a place if one is free, else the end of the waitlist.

    Refused (409) when the session is cancelled or has started, the user hosts
    the club, is already signed up, or holds a place or waitlist spot in
    another session at an overlapping time.
    """
    now = timezone.now()
    with transaction.atomic():
        # Lock the user first (then the session, always in that order): two
        # sign-ups by one person for overlapping sessions are decided in turn.
        User.objects.select_for_update().filter(pk=user.pk).first()
        session = session_lock(session_id=session_id)
        ensure_open_for_changes(session, now=now)
        if session.club.hosts.filter(pk=user.pk).exists():
            raise Conflict(
                _("Hosts do not sign up for their own club's sessions."),
                code="host_cannot_register",
            )
        if session.registrations.filter(user=user, status__in=LIVE).exists():
            raise Conflict(
                _("You are already signed up for this session."),
                code="already_registered",
            )
        clash = (
            Registration.objects.filter(
                user=user,
                status__in=LIVE,
                session__status=Session.Status.SCHEDULED,
                session__starts_at__lt=session.ends_at,
                session__ends_at__gt=session.starts_at,
            )
            .exclude(session=session)
            .first()
        )
        if clash is not None:
            raise Conflict(
                _("You are already signed up for another session at that time."),
                code="time_conflict",
                extra={"conflicting_session": clash.session_id},
            )
        registration = Registration(
            session=session, user=user, check_in_code=_new_code(session)
        )
        if places_taken(session) < session.capacity:
            registration.status = Registration.Status.CONFIRMED
            registration.confirmed_at = now
        else:
            last = session.registrations.filter(
                status=Registration.Status.WAITLISTED
            ).aggregate(last=Max("waitlist_position"))["last"]
            registration.status = Registration.Status.WAITLISTED
            registration.waitlist_position = (last or 0) + 1
        registration.save()
    return registration


def leave_waitlist(*, session: Session, position: int) -> None:
    """Close the gap a waitlisted person leaves behind."""
    session.registrations.filter(
        status=Registration.Status.WAITLISTED, waitlist_position__gt=position
    ).update(waitlist_position=F("waitlist_position") - 1)


def promote_waitlisted(*, session: Session, now: datetime) -> list[Registration]:
    """Give free places to the waitlist in order; e-mail them after commit.

    Call with the session row locked. Does nothing for a session that is
    cancelled or has started.
    """
    if session.status != Session.Status.SCHEDULED or session.starts_at <= now:
        return []
    free = session.capacity - places_taken(session)
    if free <= 0:
        return []
    promoted = list(
        session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
            "waitlist_position"
        )[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.waitlist_position = None
        registration.confirmed_at = now
        registration.save(
            update_fields=["status", "waitlist_position", "confirmed_at", "updated_at"]
        )
    if promoted:
        # Positions are 1..n, so everyone left moves up by the number promoted.
        session.registrations.filter(status=Registration.Status.WAITLISTED).update(
            waitlist_position=F("waitlist_position") - len(promoted)
        )
        notify_promoted_on_commit(registration_ids=[r.pk for r in promoted])
    return promoted


def registration_cancel(*, session_id: int, user: User) -> Registration:
    """Free my place (or waitlist spot); the first waitlisted person moves up."""
    now = timezone.now()
    with transaction.atomic():
        session = session_lock(session_id=session_id)
        # Attended and no-show count too: cancelling those is too late, not a
        # sign-up that does not exist.
        registration = (
            session.registrations.select_for_update()
            .filter(user=user)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
        if registration is None:
            raise NotFound(
                _("You are not signed up for this session."), code="not_registered"
            )
        ensure_open_for_changes(session, now=now)
        if registration.status not in LIVE:
            # Marked by a host, which only happens once the session has started.
            raise Conflict(
                _("This session has already started or is over."),
                code="session_started",
            )
        was_confirmed = registration.status == Registration.Status.CONFIRMED
        position = registration.waitlist_position
        registration.status = Registration.Status.CANCELLED
        registration.waitlist_position = None
        registration.cancelled_at = now
        registration.save(
            update_fields=["status", "waitlist_position", "cancelled_at", "updated_at"]
        )
        if position is not None:
            leave_waitlist(session=session, position=position)
        if was_confirmed:
            promote_waitlisted(session=session, now=now)
            revoke_room_access_on_commit(session_id=session.pk, user_ids=[user.pk])
    return registration


def check_in_code_matches(given: str, expected: str) -> bool:
    return secrets.compare_digest(given.encode(), expected.encode())
