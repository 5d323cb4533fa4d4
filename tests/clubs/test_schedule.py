"""Sessions generated from the weekly schedule, in local wall-clock time."""

import importlib
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from clubs.models import Club, Reminder, Session
from clubs.services.sessions import (
    session_complete_ended,
    session_generate_for_club,
    session_update,
    sessions_follow_schedule,
)
from realtime.models import Message, Room
from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

RIGA = ZoneInfo("Europe/Riga")


@pytest.fixture
def monday_noon():
    """A Monday noon in Riga with no clock change in the next five weeks: the
    tests that schedule through the API, on the real clock, then see the same
    week whichever day and hour the suite runs (the club meets on Wednesdays)."""
    noon = datetime(2026, 1, 12, 12, tzinfo=RIGA)
    with time_machine.travel(noon, tick=True):
        yield noon


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


def test_generated_sessions_copy_the_club_defaults(monday_noon):
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


def sessions_per_local_week(club) -> dict:
    weeks: dict = {}
    for session in Session.objects.filter(club=club).exclude(status="cancelled"):
        local = session.starts_at.astimezone(RIGA).date()
        week = local - timedelta(days=local.weekday())
        weeks[week] = weeks.get(week, 0) + 1
    return weeks


def reschedule(club, *, now, **fields):
    """The club's schedule changes at ``now`` (as club_update does)."""
    Club.objects.filter(pk=club.pk).update(**fields)
    club.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return sessions_follow_schedule(club=club, now=now)


def test_schedule_change_moves_the_sessions_in_place(
    client_for, volunteer, monday_noon
):
    club = ClubFactory(hosts=[volunteer], weekday=2, start_time=time(18, 0))
    session_generate_for_club(club=club, weeks=4)
    before = {s.pk: s for s in Session.objects.filter(club=club)}
    taken = min(before.values(), key=lambda s: s.starts_at)
    registration = RegistrationFactory(session=taken)
    Reminder.objects.create(registration=registration, kind="24h")
    room = Room.objects.create(session=taken)
    Message.objects.create(
        room=room, seq=1, author=registration.user, client_msg_id=uuid.uuid4()
    )

    response = client_for(volunteer).patch(
        f"/api/v1/clubs/{club.pk}/", {"weekday": 3, "start_time": "17:30"}
    )

    assert response.status_code == 200, response.json()
    after = {s.pk: s for s in Session.objects.filter(club=club)}
    assert set(after) == set(before)  # same ids: nothing deleted or recreated
    for session in after.values():
        local = session.starts_at.astimezone(RIGA)
        assert (local.weekday(), local.strftime("%H:%M")) == (3, "17:30")
        assert session.ends_at - session.starts_at == timedelta(minutes=90)
        assert session.sequence == before[session.pk].sequence + 1
        # Each moved within its own week: Wednesday to the next day.
        assert session.starts_at.astimezone(RIGA).date() == (
            before[session.pk].starts_at.astimezone(RIGA).date() + timedelta(days=1)
        )
    assert set(sessions_per_local_week(club).values()) == {1}
    registration.refresh_from_db()
    assert (registration.session_id, registration.status) == (taken.pk, "confirmed")
    assert Room.objects.get(session=taken).messages.count() == 1
    assert not Reminder.objects.filter(registration=registration).exists()
    assert [m.to for m in mail.outbox] == [[registration.user.email]]


def test_a_session_moved_by_hand_keeps_its_own_time(client_for, volunteer, monday_noon):
    club = ClubFactory(hosts=[volunteer], weekday=2, start_time=time(18, 0))
    session_generate_for_club(club=club, weeks=4)
    first, second, *_rest = Session.objects.filter(club=club).order_by("starts_at")
    own_time = second.starts_at + timedelta(hours=1)
    response = client_for(volunteer).patch(
        f"/api/v1/sessions/{second.pk}/", {"starts_at": own_time.isoformat()}
    )
    assert response.status_code == 200, response.json()

    response = client_for(volunteer).patch(
        f"/api/v1/clubs/{club.pk}/", {"start_time": "16:00"}
    )

    assert response.status_code == 200, response.json()
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.starts_at == own_time
    assert first.starts_at.astimezone(RIGA).strftime("%H:%M") == "16:00"
    assert set(sessions_per_local_week(club).values()) == {1}


def test_a_topic_edit_does_not_take_a_session_out_of_the_schedule(volunteer):
    club = ClubFactory(hosts=[volunteer], weekday=2)
    now = datetime(2026, 3, 20, 12, tzinfo=UTC)
    session_generate_for_club(club=club, weeks=2, now=now)
    first = Session.objects.filter(club=club).order_by("starts_at").first()
    Session.objects.filter(pk=first.pk).update(topic="Tirgū")

    reschedule(club, now=now, start_time=time(19, 0))

    first.refresh_from_db()
    assert first.topic == "Tirgū"
    assert first.starts_at.astimezone(RIGA).strftime("%H:%M") == "19:00"


def test_a_schedule_change_across_dst_keeps_the_local_time():
    club = ClubFactory(weekday=2, start_time=time(18, 0))
    now = datetime(2026, 3, 20, 12, tzinfo=UTC)  # clocks go forward on 29 March
    session_generate_for_club(club=club, weeks=4, now=now)
    ids = set(Session.objects.filter(club=club).values_list("pk", flat=True))

    moved = reschedule(club, now=now, weekday=4, start_time=time(19, 0))

    assert moved == 4
    assert ids < set(Session.objects.filter(club=club).values_list("pk", flat=True))
    assert local_starts(club) == [
        ("2026-03-20 19:00", "17:00"),  # this week's Friday is still to come
        ("2026-03-27 19:00", "17:00"),
        ("2026-04-03 19:00", "16:00"),
        ("2026-04-10 19:00", "16:00"),
        ("2026-04-17 19:00", "16:00"),
    ]


def test_a_longer_meeting_moves_the_end_only():
    club = ClubFactory(weekday=2, duration_minutes=90)
    now = datetime(2026, 10, 16, 12, tzinfo=UTC)
    session_generate_for_club(club=club, weeks=4, now=now)
    starts = list(Session.objects.filter(club=club).values_list("starts_at", flat=True))

    reschedule(club, now=now, duration_minutes=120)

    sessions = Session.objects.filter(club=club).order_by("starts_at")
    assert [s.starts_at for s in sessions] == sorted(starts)
    assert {s.ends_at - s.starts_at for s in sessions} == {timedelta(minutes=120)}


def test_this_weeks_session_keeps_its_time_when_the_new_day_has_passed():
    club = ClubFactory(weekday=2, start_time=time(18, 0))
    now = datetime(2026, 3, 18, 8, tzinfo=UTC)  # Wednesday morning in Riga
    session_generate_for_club(club=club, weeks=4, now=now)

    reschedule(club, now=now, weekday=0)  # Monday is over this week

    assert local_starts(club) == [
        ("2026-03-18 18:00", "16:00"),  # kept: people were told this time
        ("2026-03-23 18:00", "16:00"),
        ("2026-03-30 18:00", "15:00"),  # clocks went forward on 29 March
        ("2026-04-06 18:00", "15:00"),
        ("2026-04-13 18:00", "15:00"),  # the fourth week ahead, filled in
    ]


def test_cancelled_and_one_off_sessions_stay_where_they_are():
    club = ClubFactory(weekday=2, start_time=time(18, 0))
    now = datetime(2026, 3, 20, 12, tzinfo=UTC)
    session_generate_for_club(club=club, weeks=2, now=now)
    cancelled = Session.objects.filter(club=club).order_by("starts_at").first()
    Session.objects.filter(pk=cancelled.pk).update(status="cancelled")
    one_off = SessionFactory(club=club, starts_at=datetime(2026, 4, 9, 15, tzinfo=UTC))

    reschedule(club, now=now, weekday=3)

    assert Session.objects.get(pk=cancelled.pk).starts_at == cancelled.starts_at
    assert Session.objects.get(pk=one_off.pk).starts_at == one_off.starts_at
    # The cancelled week is not made again.
    assert (
        Session.objects.filter(club=club, series_week=cancelled.series_week).count()
        == 1
    )


def test_moving_onto_another_sessions_time_is_409_and_changes_nothing(
    client_for, volunteer, monday_noon
):
    club = ClubFactory(hosts=[volunteer], weekday=2, start_time=time(18, 0))
    session_generate_for_club(club=club, weeks=2)
    first = Session.objects.filter(club=club).order_by("starts_at").first()
    blocker = SessionFactory(club=club, starts_at=first.starts_at + timedelta(days=1))

    response = client_for(volunteer).patch(f"/api/v1/clubs/{club.pk}/", {"weekday": 3})

    assert response.status_code == 409
    assert response.json()["code"] == "session_exists"
    club.refresh_from_db()
    assert club.weekday == 2
    first.refresh_from_db()
    assert first.starts_at.astimezone(RIGA).weekday() == 2
    assert Session.objects.get(pk=blocker.pk).series_week is None


def test_generation_never_makes_a_second_live_session_in_a_week():
    club = ClubFactory(weekday=2, start_time=time(18, 0))
    now = datetime(2026, 3, 20, 12, tzinfo=UTC)
    session_generate_for_club(club=club, weeks=2, now=now)
    _first, second = Session.objects.filter(club=club).order_by("starts_at")
    # The host moves the second week's meeting to Thursday...
    with TestCase.captureOnCommitCallbacks(execute=True):
        session_update(
            session_id=second.pk,
            data={"starts_at": second.starts_at + timedelta(days=1)},
            now=now,
        )
    # ...and a one-off meeting is added to the third week.
    SessionFactory(club=club, starts_at=datetime(2026, 4, 6, 15, tzinfo=UTC))

    created = session_generate_for_club(club=club, weeks=4, now=now)

    assert created == 1  # only the fourth week was free
    assert set(sessions_per_local_week(club).values()) == {1}
    assert Session.objects.get(pk=second.pk).moved_by_hand


def test_the_daily_command_after_a_schedule_change_keeps_one_session_a_week(
    client_for, volunteer, monday_noon
):
    club = ClubFactory(hosts=[volunteer], weekday=2, start_time=time(18, 0))
    call_command("generate_sessions", "--weeks", "4")
    RegistrationFactory(session=Session.objects.filter(club=club).first())

    response = client_for(volunteer).patch(f"/api/v1/clubs/{club.pk}/", {"weekday": 5})
    assert response.status_code == 200
    call_command("generate_sessions", "--weeks", "6")

    assert set(sessions_per_local_week(club).values()) == {1}
    assert Session.objects.filter(club=club).count() == 6  # Saturdays of six weeks


def test_the_migration_gives_sessions_on_the_schedule_their_week():
    from django.apps import apps

    migration = importlib.import_module(
        "clubs.migrations.0005_session_series_week_moved_by_hand"
    )
    club = ClubFactory(weekday=2, start_time=time(18, 0))
    wednesday = datetime(2026, 12, 9, 16, tzinfo=UTC)  # 18:00 in Riga
    on_schedule = SessionFactory(club=club, starts_at=wednesday)
    moved = SessionFactory(club=club, starts_at=wednesday + timedelta(weeks=1, hours=1))
    one_off = SessionFactory(club=club, starts_at=wednesday + timedelta(days=1))
    Session.objects.update(series_week=None)

    migration.mark_scheduled_sessions(apps, None)

    assert (
        Session.objects.get(pk=on_schedule.pk).series_week
        == datetime(2026, 12, 7).date()
    )
    assert Session.objects.get(pk=moved.pk).series_week is None
    assert Session.objects.get(pk=one_off.pk).series_week is None
