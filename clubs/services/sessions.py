"""Sessions: generated from a club's weekly schedule, changed one by one."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User
from backend.api.errors import Conflict, InvalidInput
from clubs.models import Club, Reminder, Session
from clubs.selectors import LIVE
from clubs.services.notifications import notify_registered_on_commit
from clubs.services.registrations import (
    ensure_open_for_changes,
    promote_waitlisted,
    session_lock,
)
from clubs.services.rooms import revoke_room_access_on_commit

DEFAULT_WEEKS = 4
MAX_WEEKS = 52
MAX_DURATION = timedelta(hours=12)
# Fields that change when and where the session happens: people are told.
TIME_AND_PLACE = ("starts_at", "ends_at", "address", "online_url")
EDITABLE = (*TIME_AND_PLACE, "topic", "level", "capacity")


def local_start(*, day: date, start_time: time, time_zone: str) -> datetime:
    """The UTC instant of a local wall-clock time in the club's time zone.

    A time that does not exist on the day clocks go forward (e.g. 03:30 in
    Riga on the last Sunday of March) is read with the offset in force before
    the change, i.e. it lands one hour later in local time.
    """
    local = datetime.combine(day, start_time).replace(tzinfo=ZoneInfo(time_zone))
    return local.astimezone(UTC)


def week_of(day: date) -> date:
    """The Monday of ``day``'s week: a schedule makes one session per week."""
    return day - timedelta(days=day.weekday())


def _slot_start(*, club: Club, week: date) -> datetime:
    """When the schedule puts the meeting of ``week`` (its Monday), in UTC."""
    return local_start(
        day=week + timedelta(days=club.weekday),
        start_time=club.start_time,
        time_zone=club.time_zone,
    )


def _local_week_bounds(*, club: Club, first: date, last: date) -> tuple:
    """UTC instants of local midnight on Monday ``first`` and after week ``last``."""
    return (
        local_start(day=first, start_time=time(0), time_zone=club.time_zone),
        local_start(
            day=last + timedelta(days=7), start_time=time(0), time_zone=club.time_zone
        ),
    )


def session_generate_for_club(
    *, club: Club, weeks: int = DEFAULT_WEEKS, now: datetime | None = None
) -> int:
    """Create the club's sessions for the coming ``weeks``; returns how many.

    One session per week at most: a week is skipped when its scheduled session
    exists in any state (a cancelled meeting is not made again, a moved one
    stays where it is) or when the club already has a live session in that
    week. Idempotent, even when two runs overlap (unique club and week).
    Existing sessions are never changed.
    """
    if not club.active:
        return 0
    now = now or timezone.now()
    zone = ZoneInfo(club.time_zone)
    today = now.astimezone(zone).date()
    slots = {}
    for offset in range(weeks * 7):
        day = today + timedelta(days=offset)
        if day.weekday() != club.weekday:
            continue
        starts_at = _slot_start(club=club, week=week_of(day))
        if starts_at > now:
            slots[week_of(day)] = starts_at
    if not slots:
        return 0
    taken = set(
        Session.objects.filter(club=club, series_week__in=slots).values_list(
            "series_week", flat=True
        )
    )
    begin, end = _local_week_bounds(club=club, first=min(slots), last=max(slots))
    others = Session.objects.filter(
        club=club, starts_at__gte=begin, starts_at__lt=end
    ).values_list("starts_at", "status")
    for starts_at, status in others:
        if status != Session.Status.CANCELLED or starts_at in slots.values():
            taken.add(week_of(starts_at.astimezone(zone).date()))
    duration = timedelta(minutes=club.duration_minutes)
    new = [
        Session(
            club=club,
            series_week=week,
            starts_at=starts_at,
            ends_at=starts_at + duration,
            level=club.level_min,
            capacity=club.capacity,
            address=club.address,
            online_url=club.online_url if club.online else "",
        )
        for week, starts_at in sorted(slots.items())
        if week not in taken
    ]
    Session.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def session_generate_all(*, weeks: int = DEFAULT_WEEKS) -> int:
    total = 0
    for club in Club.objects.filter(active=True):
        total += session_generate_for_club(club=club, weeks=weeks)
    return total


def session_complete_ended(*, now: datetime | None = None) -> int:
    """Mark scheduled sessions that have ended as completed."""
    now = now or timezone.now()
    return Session.objects.filter(
        status=Session.Status.SCHEDULED, ends_at__lt=now
    ).update(status=Session.Status.COMPLETED, updated_at=now)


def sessions_follow_schedule(*, club: Club, now: datetime | None = None) -> int:
    """After a schedule change: move the club's future scheduled sessions.

    Each moves within its own week to the new weekday, time and length,
    keeping its id, room, sign-ups and everything else; the people signed up
    are e-mailed, as for any change of time. Left alone: sessions the host
    moved by hand, one-off sessions, cancelled ones, and a session whose new
    time this week has already passed (people were told the old one). Then
    the coming weeks are filled in. Returns how many sessions moved.
    """
    now = now or timezone.now()
    duration = timedelta(minutes=club.duration_minutes)
    series = Session.objects.filter(
        club=club,
        status=Session.Status.SCHEDULED,
        series_week__isnull=False,
        moved_by_hand=False,
        starts_at__gt=now,
    ).order_by("starts_at")
    moved = 0
    for session_id, week, starts_at, ends_at in series.values_list(
        "pk", "series_week", "starts_at", "ends_at"
    ):
        new_start = _slot_start(club=club, week=week)
        if new_start <= now or (new_start, new_start + duration) == (
            starts_at,
            ends_at,
        ):
            continue
        session_update(
            session_id=session_id,
            data={"starts_at": new_start, "ends_at": new_start + duration},
            by_schedule=True,
            now=now,
        )
        moved += 1
    session_generate_for_club(club=club, weeks=DEFAULT_WEEKS, now=now)
    return moved


def _check_times(*, starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise InvalidInput(
            fields={"starts_at": [str(_("The session must start in the future."))]}
        )
    if ends_at <= starts_at:
        raise InvalidInput(
            fields={"ends_at": [str(_("The session must end after it starts."))]}
        )
    if ends_at - starts_at > MAX_DURATION:
        raise InvalidInput(
            fields={"ends_at": [str(_("A session lasts at most 12 hours."))]}
        )


def _check_place(*, address: str, online_url: str) -> None:
    if not address and not online_url:
        raise InvalidInput(
            fields={"address": [str(_("Give an address or an online link."))]}
        )


def _save_unique(session: Session, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            session.save(**kwargs)
    except IntegrityError:
        if (
            Session.objects.filter(club_id=session.club_id, starts_at=session.starts_at)
            .exclude(pk=session.pk)
            .exists()
        ):
            raise Conflict(
                _("The club already has a session at that time."),
                code="session_exists",
            ) from None
        raise


@transaction.atomic
def session_create(*, club: Club, data: dict[str, Any]) -> Session:
    """A one-off session of the club; unset fields come from the club."""
    now = timezone.now()
    starts_at = data["starts_at"]
    ends_at = data.get("ends_at") or starts_at + timedelta(
        minutes=club.duration_minutes
    )
    _check_times(starts_at=starts_at, ends_at=ends_at, now=now)
    session = Session(
        club=club,
        starts_at=starts_at,
        ends_at=ends_at,
        topic=data.get("topic", ""),
        level=data.get("level") or club.level_min,
        capacity=data.get("capacity") or club.capacity,
        address=data.get("address", club.address),
        online_url=data.get("online_url", club.online_url if club.online else ""),
    )
    _check_place(address=session.address, online_url=session.online_url)
    _save_unique(session)
    if "exercises" in data:
        session.exercises.set(data["exercises"])
    return session


def session_update(
    *,
    session_id: int,
    data: dict[str, Any],
    by_schedule: bool = False,
    now: datetime | None = None,
) -> Session:
    """Change one session; the others of the club stay as they are.

    The topic and exercise pack may change at any time (before or after the
    meeting); time, place, level and capacity only before it starts. A
    capacity increase gives the new places to the waitlist at once; a
    decrease keeps everyone who has a place and only stops new confirmations.
    People signed up are e-mailed when time or place change. A new time set
    by hand (not ``by_schedule``) takes the session out of schedule changes.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = session_lock(session_id=session_id)
        if session.status == Session.Status.CANCELLED:
            raise Conflict(
                _("This session has been cancelled."), code="session_cancelled"
            )
        data = dict(data)
        if "starts_at" in data and "ends_at" not in data:
            # Moving the start alone keeps the length.
            data["ends_at"] = data["starts_at"] + (session.ends_at - session.starts_at)
        changed = [
            name
            for name in EDITABLE
            if name in data and data[name] != getattr(session, name)
        ]
        if any(name not in ("topic",) for name in changed):
            ensure_open_for_changes(session, now=now)
        for name in changed:
            setattr(session, name, data[name])
        if "starts_at" in changed or "ends_at" in changed:
            _check_times(starts_at=session.starts_at, ends_at=session.ends_at, now=now)
        if any(name in changed for name in ("address", "online_url")):
            _check_place(address=session.address, online_url=session.online_url)
        moved = [name for name in changed if name in TIME_AND_PLACE]
        extra = []
        if moved:
            session.sequence += 1
            extra.append("sequence")
        retimed = "starts_at" in changed or "ends_at" in changed
        if retimed and not by_schedule and session.series_week is not None:
            session.moved_by_hand = True
            extra.append("moved_by_hand")
        if changed:
            _save_unique(session, update_fields=[*changed, *extra, "updated_at"])
        if "exercises" in data:
            session.exercises.set(data["exercises"])
        if "capacity" in changed:
            promote_waitlisted(session=session, now=now)
        if moved:
            registrations = session.registrations.filter(status__in=LIVE)
            if "starts_at" in changed:
                # Reminders follow the new time.
                Reminder.objects.filter(registration__session=session).delete()
            notify_registered_on_commit(
                session_id=session.pk,
                registration_ids=list(registrations.values_list("pk", flat=True)),
                kind="changed",
            )
    return session


def session_cancel(*, session_id: int, reason: str) -> Session:
    """Cancel one session: everyone signed up is e-mailed and leaves the room."""
    now = timezone.now()
    with transaction.atomic():
        session = session_lock(session_id=session_id)
        ensure_open_for_changes(session, now=now)
        session.status = Session.Status.CANCELLED
        session.cancel_reason = reason
        session.cancelled_at = now
        session.sequence += 1
        session.save(
            update_fields=[
                "status",
                "cancel_reason",
                "cancelled_at",
                "sequence",
                "updated_at",
            ]
        )
        registered = list(
            session.registrations.filter(status__in=LIVE).values_list("pk", "user_id")
        )
        notify_registered_on_commit(
            session_id=session.pk,
            registration_ids=[pk for pk, _user in registered],
            kind="cancelled",
        )
        revoke_room_access_on_commit(
            session_id=session.pk, user_ids=[user for _pk, user in registered]
        )
    return session


def sessions_revoke_host(*, club: Club, user: User) -> None:
    """A host left the club: close their rooms of its sessions (after commit)."""
    for session_id in Session.objects.filter(club=club).values_list("pk", flat=True):
        revoke_room_access_on_commit(session_id=session_id, user_ids=[user.pk])
