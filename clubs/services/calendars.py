"""iCalendar (.ics) files for sessions and the personal calendar feed."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from backend.accounts.models import User
from clubs.models import CalendarFeed, Registration, Session, new_calendar_token

if TYPE_CHECKING:
    import icalendar

PRODID = "-//Runa//Discussion clubs//EN"
# How far back the personal feed reaches: recent history stays in calendars.
FEED_HISTORY = timedelta(days=90)


def session_uid(session: Session) -> str:
    """Stable across changes, so calendar apps update rather than duplicate."""
    return f"runa-session-{session.pk}@runa"


def _event(
    *, session: Session, show_online_url: bool, tentative: bool, now: datetime
) -> "icalendar.Event":
    import icalendar

    tz = ZoneInfo(session.club.time_zone)
    event = icalendar.Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", now)
    event.add("sequence", session.sequence)
    event.add("last-modified", session.updated_at)
    event.add("dtstart", session.starts_at.astimezone(tz))
    event.add("dtend", session.ends_at.astimezone(tz))
    summary = session.club.name
    if session.topic:
        summary = f"{summary}: {session.topic}"
    event.add("summary", summary)
    lines = [line for line in (session.topic, session.club.description) if line]
    if session.status == Session.Status.CANCELLED:
        event.add("status", "CANCELLED")
        if session.cancel_reason:
            lines.insert(0, session.cancel_reason)
    elif tentative:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    if session.address:
        event.add("location", session.address)
    elif session.online_url:
        event.add("location", "Online")
    if session.online_url and show_online_url:
        event.add("url", session.online_url)
        lines.append(session.online_url)
    if lines:
        event.add("description", "\n\n".join(lines))
    return event


def _calendar(
    entries: Iterable[tuple[Session, bool, bool]], *, name: str | None = None
) -> bytes:
    """entries: (session, show_online_url, tentative)."""
    import icalendar  # imported here: only feeds need it (3 MiB a process)

    now = timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    days: list[date] = []
    for session, show_online_url, tentative in entries:
        calendar.add_component(
            _event(
                session=session,
                show_online_url=show_online_url,
                tentative=tentative,
                now=now,
            )
        )
        days.append(session.starts_at.date())
    if days:
        # A VTIMEZONE covering the events (not the zone's whole history).
        calendar.add_missing_timezones(
            first_date=min(days) - timedelta(days=366),
            last_date=max(days) + timedelta(days=366),
        )
    return calendar.to_ical()


def session_ics(*, session: Session, show_online_url: bool) -> bytes:
    return _calendar([(session, show_online_url, False)])


def feed_sessions(*, user: User) -> QuerySet[Session]:
    """Sessions in the user's feed: hosted ones and those they signed up for."""
    since = timezone.now() - FEED_HISTORY
    return (
        Session.objects.filter(starts_at__gte=since)
        .filter(
            Q(club__hosts=user)
            | Q(
                registrations__user=user,
                registrations__status__in=[
                    Registration.Status.CONFIRMED,
                    Registration.Status.WAITLISTED,
                    Registration.Status.ATTENDED,
                    Registration.Status.NO_SHOW,
                ],
            )
        )
        .distinct()
        .select_related("club")
        .order_by("starts_at", "id")
    )


def feed_ics(*, user: User) -> bytes:
    sessions = list(feed_sessions(user=user))
    statuses = dict(
        Registration.objects.filter(user=user, session__in=sessions)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("session_id", "status")
    )
    hosted = set(
        Session.objects.filter(
            pk__in=[s.pk for s in sessions], club__hosts=user
        ).values_list("pk", flat=True)
    )
    entries = []
    for session in sessions:
        status = statuses.get(session.pk)
        is_host = session.pk in hosted
        show_link = (
            is_host
            or user.is_staff
            or status in (Registration.Status.CONFIRMED, Registration.Status.ATTENDED)
        )
        tentative = not is_host and status == Registration.Status.WAITLISTED
        entries.append((session, show_link, tentative))
    return _calendar(entries, name="Runa")


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret token: the old feed URL stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_calendar_token()
        feed.reset_at = timezone.now()
        feed.save(update_fields=["token", "reset_at"])
    return feed


def calendar_feed_user(*, token: str) -> User | None:
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return feed.user if feed else None
