"""Participation report for the city's funder: per club and month.

Privacy: a club-month with fewer than ``MIN_GROUP`` unique participants is
not broken down by level (``by_level`` is null and ``by_level_suppressed`` is
true), and inside a breakdown a level with 1 to 4 people shows ``"<5"``. When
exactly one level would show ``"<5"``, its number would follow from the total
minus the other levels, so that club-month is not broken down either.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from backend.accounts.models import Level
from clubs.models import Registration, Session

MIN_GROUP = 5
SMALL = "<5"
LEVELS = [*Level.values, "unknown"]
COLUMNS = [
    "club_id",
    "club_name",
    "month",
    "sessions_held",
    "sessions_cancelled",
    "registrations",
    "cancellations",
    "attended",
    "no_shows",
    "unique_participants",
    "participant_hours",
    "new_participants",
]


@dataclass
class _Row:
    club_id: int
    club_name: str
    month: str
    sessions_held: int = 0
    sessions_cancelled: int = 0
    registrations: int = 0
    cancellations: int = 0
    attended: int = 0
    no_shows: int = 0
    participant_seconds: float = 0.0
    participants: dict[int, str] = field(default_factory=dict)  # user -> level
    new: set[int] = field(default_factory=set)

    def as_dict(self) -> dict:
        unique = len(self.participants)
        by_level: dict[str, int | str] | None = None
        if unique >= MIN_GROUP:
            counts: dict[str, int] = defaultdict(int)
            for level in self.participants.values():
                counts[level or "unknown"] += 1
            small = [level for level in LEVELS if 0 < counts[level] < MIN_GROUP]
            # One hidden level alone would be unique_participants minus the
            # others: so small a group cannot be hidden, only left unbroken.
            if len(small) != 1:
                by_level = {
                    level: SMALL if level in small else counts[level]
                    for level in LEVELS
                }
        return {
            "club_id": self.club_id,
            "club_name": self.club_name,
            "month": self.month,
            "sessions_held": self.sessions_held,
            "sessions_cancelled": self.sessions_cancelled,
            "registrations": self.registrations,
            "cancellations": self.cancellations,
            "attended": self.attended,
            "no_shows": self.no_shows,
            "unique_participants": unique,
            "participant_hours": round(self.participant_seconds / 3600, 1),
            "new_participants": len(self.new),
            "by_level": by_level,
            "by_level_suppressed": by_level is None,
        }


def participation_report(
    *, date_from: date, date_to: date, club_id: int | None = None
) -> list[dict]:
    """Rows for sessions starting between the two local dates (inclusive).

    - sessions_held: not cancelled and already started; sessions_cancelled;
    - registrations: sign-ups not withdrawn; cancellations: withdrawn ones;
    - attended / no_shows: as marked by hosts (or check-in);
    - unique_participants: distinct people who attended in that club-month;
    - participant_hours: sum of session lengths over attendances;
    - new_participants: people whose first attendance ever (any club) is there;
    - by_level: unique participants by their profile level (privacy above).
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(date_from, time.min, tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
    now = timezone.now()
    sessions = Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
    if club_id is not None:
        sessions = sessions.filter(club_id=club_id)
    sessions = list(sessions.select_related("club").order_by("club__name", "starts_at"))
    rows: dict[tuple[int, str], _Row] = {}
    row_of: dict[int, _Row] = {}
    for session in sessions:
        local = session.starts_at.astimezone(ZoneInfo(session.club.time_zone))
        month = f"{local.year:04d}-{local.month:02d}"
        key = (session.club_id, month)
        row = rows.get(key)
        if row is None:
            row = rows[key] = _Row(session.club_id, session.club.name, month)
        row_of[session.pk] = row
        if session.status == Session.Status.CANCELLED:
            row.sessions_cancelled += 1
        elif session.starts_at <= now:
            row.sessions_held += 1

    registrations = list(
        Registration.objects.filter(session_id__in=row_of).values_list(
            "session_id",
            "user_id",
            "user__level",
            "status",
            "session__starts_at",
            "session__ends_at",
        )
    )
    attendees: set[int] = set()
    for session_id, user_id, level, status, starts_at, ends_at in registrations:
        row = row_of[session_id]
        if status == Registration.Status.CANCELLED:
            row.cancellations += 1
            continue
        row.registrations += 1
        if status == Registration.Status.NO_SHOW:
            row.no_shows += 1
        elif status == Registration.Status.ATTENDED:
            row.attended += 1
            row.participant_seconds += (ends_at - starts_at).total_seconds()
            row.participants[user_id] = level
            attendees.add(user_id)

    # First attendance ever, over all clubs and all time (not only this range).
    firsts = (
        Registration.objects.filter(
            user_id__in=attendees, status=Registration.Status.ATTENDED
        )
        .values("user_id")
        .annotate(first=Min("session__starts_at"))
        .values_list("user_id", "first")
    )
    first_of = dict(firsts)
    for session_id, user_id, _level, status, starts_at, _ends in registrations:
        if (
            status == Registration.Status.ATTENDED
            and first_of.get(user_id) == starts_at
        ):
            row_of[session_id].new.add(user_id)
    return [row.as_dict() for row in rows.values()]


def _cell(value: object) -> object:
    # A club name like "=HYPERLINK(...)" must not become a formula when the
    # funder opens the file in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def report_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [*COLUMNS, *(f"level_{level}" for level in LEVELS), "by_level_suppressed"]
    )
    for row in rows:
        levels = row["by_level"] or {}
        writer.writerow(
            [
                *(_cell(row[name]) for name in COLUMNS),
                *(levels.get(level, "") for level in LEVELS),
                "yes" if row["by_level_suppressed"] else "no",
            ]
        )
    return out.getvalue()
