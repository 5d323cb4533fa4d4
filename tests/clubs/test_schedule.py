"""Sessions generated from the weekly schedule, in local wall-clock time."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from clubs.models import Session
from clubs.services.sessions import (
    session_complete_ended,
    session_generate_for_club,
)
from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

RIGA = ZoneInfo("Europe/Riga")


def local_starts(club) -> list[tuple[str, str]]:
    return [
        (
            s.starts_at.astimezone(RIGA).strftime("%Y-%m-%d %H:%M"),
            s.starts_at.astimezone(UTC).strftime("%H:%M"),
        )
        for s in Session.objects.filter(club=club).order_by("starts_at")
    ]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Spring 2026: clocks go forward on Sunday 29 March.
        (
            datetime(2026, 3, 20, 12, tzinfo=UTC),
            [
                ("2026-03-25 18:00", "16:00"),
                ("2026-04-01 18:00", "15:00"),
                ("2026-04-08 18:00", "15:00"),
                ("2026-04-15 18:00", "15:00"),
            ],
        ),
        # Autumn 2026: clocks go back on Sunday 25 October.
        (
            datetime(2026, 10, 16, 12, tzinfo=UTC),
            [
                ("2026-10-21 18:00", "15:00"),
                ("2026-10-28 18:00", "16:00"),
                ("2026-11-04 18:00", "16:00"),
                ("2026-11-11 18:00", "16:00"),
            ],
        ),
        # Spring 2027 (28 March) and autumn 2027 (31 October).
        (
            datetime(2027, 3, 19, 12, tzinfo=UTC),
            [
                ("2027-03-24 18:00", "16:00"),
                ("2027-03-31 18:00", "15:00"),
                ("2027-04-07 18:00", "15:00"),
                ("2027-04-14 18:00", "15:00"),
            ],
        ),
        (
            datetime(2027, 10, 22, 12, tzinfo=UTC),
            [
                ("2027-10-27 18:00", "15:00"),
                ("2027-11-03 18:00", "16:00"),
                ("2027-11-10 18:00", "16:00"),
                ("2027-11-17 18:00", "16:00"),
            ],
        ),
    ],
)
def test_sessions_keep_their_local_start_across_dst(now, expected):
    club = ClubFactory(weekday=2, start_time=time(18, 0), duration_minutes=90)

    created = session_generate_for_club(club=club, weeks=4, now=now)

    assert created == 4
    assert local_starts(club) == expected
    for session in Session.objects.filter(club=club):
        assert session.ends_at - session.starts_at == timedelta(minutes=90)


def test_a_start_inside_the_spring_gap_moves_an_hour_later():
    # 03:30 does not exist in Riga on 29 March 2026 (03:00 -> 04:00).
    club = ClubFactory(weekday=6, start_time=time(3, 30))
    session_generate_for_club(club=club, weeks=1, now=datetime(2026, 3, 27, tzinfo=UTC))
    assert local_starts(club) == [("2026-03-29 04:30", "01:30")]


def test_an_ambiguous_autumn_start_takes_the_first_occurrence():
    # 03:30 happens twice in Riga on 25 October 2026.
    club = ClubFactory(weekday=6, start_time=time(3, 30))
    session_generate_for_club(
        club=club, weeks=1, now=datetime(2026, 10, 23, tzinfo=UTC)
    )
    assert local_starts(club) == [("2026-10-25 03:30", "00:30")]


def test_generation_is_idempotent_and_skips_the_past():
    club = ClubFactory(weekday=2)
    now = datetime(2026, 3, 25, 17, tzinfo=UTC)  # after Wednesday's 18:00 Riga

    first = session_generate_for_club(club=club, weeks=2, now=now)
    again = session_generate_for_club(club=club, weeks=2, now=now)

    assert (first, again) == (1, 0)
    assert local_starts(club) == [("2026-04-01 18:00", "15:00")]


def test_generated_sessions_copy_the_club_defaults():
    club = ClubFactory(
        online=True,
        address="",
        online_url="https://meet.example.org/club",
        capacity=7,
        level_min="B1",
        level_max="B2",
    )
    session_generate_for_club(club=club, weeks=1, now=timezone.now())
    session = Session.objects.get(club=club)
    assert (session.capacity, session.level, session.online_url) == (
        7,
        "B1",
        "https://meet.example.org/club",
    )


def test_a_changed_or_cancelled_session_is_left_alone():
    club = ClubFactory(weekday=2)
    now = datetime(2026, 3, 20, tzinfo=UTC)
    session_generate_for_club(club=club, weeks=2, now=now)
    first, second = Session.objects.filter(club=club).order_by("starts_at")
    first.topic = "Īpaša tēma"
    first.save()
    second.status = "cancelled"
    second.save()

    session_generate_for_club(club=club, weeks=3, now=now)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.topic == "Īpaša tēma"
    assert second.status == "cancelled"
    assert Session.objects.filter(club=club).count() == 3


def test_inactive_clubs_get_no_sessions():
    club = ClubFactory(active=False)
    assert session_generate_for_club(club=club, weeks=4) == 0


def test_command_generates_for_active_clubs_and_is_idempotent():
    active = ClubFactory()
    ClubFactory(active=False)

    call_command("generate_sessions", "--weeks", "3")
    count = Session.objects.count()
    call_command("generate_sessions", "--weeks", "3")

    assert count == Session.objects.filter(club=active).count() >= 2
    assert Session.objects.count() == count


@pytest.mark.parametrize("weeks", ["0", "53", "-1"])
def test_command_rejects_silly_weeks(weeks):
    with pytest.raises(CommandError):
        call_command("generate_sessions", "--weeks", weeks)


def test_ended_sessions_are_marked_completed():
    ended = SessionFactory(starts_at=timezone.now() - timedelta(days=2))
    upcoming = SessionFactory()
    cancelled = SessionFactory(
        starts_at=timezone.now() - timedelta(days=3), status="cancelled"
    )
    assert session_complete_ended() == 1
    ended.refresh_from_db()
    upcoming.refresh_from_db()
    cancelled.refresh_from_db()
    assert (ended.status, upcoming.status, cancelled.status) == (
        "completed",
        "scheduled",
        "cancelled",
    )


def test_schedule_change_moves_untouched_sessions_only(client_for, volunteer):
    club = ClubFactory(hosts=[volunteer], weekday=2, start_time=time(18, 0))
    session_generate_for_club(club=club, weeks=4)
    taken = Session.objects.filter(club=club).order_by("starts_at").first()
    RegistrationFactory(session=taken)

    response = client_for(volunteer).patch(
        f"/api/v1/clubs/{club.pk}/", {"weekday": 3, "start_time": "17:30"}
    )

    assert response.status_code == 200, response.json()
    sessions = Session.objects.filter(club=club)
    assert taken in sessions  # people were told that time: it stays
    others = sessions.exclude(pk=taken.pk)
    assert others.count() >= 3
    for session in others:
        local = session.starts_at.astimezone(RIGA)
        assert (local.weekday(), local.strftime("%H:%M")) == (3, "17:30")
