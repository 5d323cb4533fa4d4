from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from rest_framework.test import APIClient

from clubs.models import CalendarFeed
from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

RIGA = ZoneInfo("Europe/Riga")


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def ics_url(session) -> str:
    return f"/api/v1/sessions/{session.pk}/calendar.ics"


@pytest.fixture
def summer_session(club):
    # 1 July 2030, 18:00 in Riga = 15:00 UTC (summer time).
    return SessionFactory(
        club=club,
        starts_at=datetime(2030, 7, 1, 15, 0, tzinfo=UTC),
        ends_at=datetime(2030, 7, 1, 16, 30, tzinfo=UTC),
        topic="Vasara",
        online_url="https://meet.example.org/summer",
    )


def test_session_ics_has_local_time_zone_and_stable_uid(
    client_for, newcomer, summer_session
):
    client = client_for(newcomer)
    calendar = parse(client.get(ics_url(summer_session)))

    [event] = calendar.events
    assert event.start == datetime(2030, 7, 1, 18, 0, tzinfo=RIGA)
    assert str(event.start.tzinfo) == "Europe/Riga"
    assert event.end.astimezone(UTC) == datetime(2030, 7, 1, 16, 30, tzinfo=UTC)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Riga"]
    assert event["STATUS"] == "CONFIRMED"
    assert summer_session.club.name in event["SUMMARY"]
    assert "Brīvības iela" in event["LOCATION"]
    # Not signed up: no online link.
    assert (
        "meet.example.org" not in client.get(ics_url(summer_session)).content.decode()
    )
    again = parse(client.get(ics_url(summer_session)))
    assert again.events[0]["UID"] == event["UID"]


def test_winter_session_uses_winter_offset(client_for, newcomer, club):
    session = SessionFactory(
        club=club,
        starts_at=datetime(2030, 1, 9, 16, 0, tzinfo=UTC),
        ends_at=datetime(2030, 1, 9, 17, 30, tzinfo=UTC),
    )
    [event] = parse(client_for(newcomer).get(ics_url(session))).events
    assert event.start.replace(tzinfo=None) == datetime(2030, 1, 9, 18, 0)
    assert event.start.utcoffset() == timedelta(hours=2)


def test_confirmed_participant_gets_the_online_link(
    client_for, newcomer, summer_session
):
    RegistrationFactory(session=summer_session, user=newcomer)
    [event] = parse(client_for(newcomer).get(ics_url(summer_session))).events
    assert event["URL"] == "https://meet.example.org/summer"


def test_cancelled_session_shows_as_cancelled(client_for, volunteer, summer_session):
    summer_session.status = "cancelled"
    summer_session.cancel_reason = "Remonts"
    summer_session.sequence = 1
    summer_session.save()
    [event] = parse(client_for(volunteer).get(ics_url(summer_session))).events
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert "Remonts" in event["DESCRIPTION"]


def test_session_ics_errors_are_json(client_for, newcomer, api_client, summer_session):
    missing = client_for(newcomer).get("/api/v1/sessions/999999/calendar.ics")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    anonymous = api_client.get(ics_url(summer_session))
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"


def test_session_ics_ignores_accept_header(client_for, newcomer, summer_session):
    response = client_for(newcomer).get(
        ics_url(summer_session), HTTP_ACCEPT="application/json"
    )
    parse(response)


@pytest.mark.parametrize("format", ["json", "ics", "xml"])
def test_session_ics_has_no_format_switch(client_for, newcomer, summer_session, format):
    response = client_for(newcomer).get(ics_url(summer_session), {"format": format})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parse(response)


# --- Personal feed ---------------------------------------------------------------


def feed_path(url: str) -> str:
    return url.replace("http://testserver", "")


def test_my_feed_lists_my_sessions_without_auth_header(client_for, newcomer, volunteer):
    confirmed = SessionFactory(online_url="https://meet.example.org/a")
    waiting = SessionFactory(starts_at=confirmed.starts_at + timedelta(days=1))
    left = SessionFactory(starts_at=confirmed.starts_at + timedelta(days=2))
    SessionFactory()  # someone else's
    RegistrationFactory(session=confirmed, user=newcomer)
    RegistrationFactory(
        session=waiting, user=newcomer, status="waitlisted", waitlist_position=1
    )
    RegistrationFactory(session=left, user=newcomer, status="cancelled")

    body = client_for(newcomer).get("/api/v1/me/calendar/").json()
    assert set(body) == {"url"}
    assert body["url"].startswith("http://testserver/api/v1/calendar/")

    calendar = parse(APIClient().get(feed_path(body["url"])))
    events = {str(e["UID"]): e for e in calendar.events}
    assert len(events) == 2
    by_start = sorted(calendar.events, key=lambda e: e.start)
    assert by_start[0]["STATUS"] == "CONFIRMED"
    assert by_start[0]["URL"] == "https://meet.example.org/a"
    assert by_start[1]["STATUS"] == "TENTATIVE"


def test_hosts_feed_has_their_club_sessions(client_for, volunteer, club):
    first = SessionFactory(club=club)
    SessionFactory(club=club, starts_at=first.starts_at + timedelta(days=7))
    url = client_for(volunteer).get("/api/v1/me/calendar/").json()["url"]
    assert len(parse(APIClient().get(feed_path(url))).events) == 2


def test_feed_url_is_stable_until_reset(client_for, newcomer):
    client = client_for(newcomer)
    first = client.get("/api/v1/me/calendar/").json()["url"]
    assert client.get("/api/v1/me/calendar/").json()["url"] == first

    reset = client.post("/api/v1/me/calendar/reset/")

    assert reset.status_code == 200
    new = reset.json()["url"]
    assert new != first
    assert APIClient().get(feed_path(first)).status_code == 404
    parse(APIClient().get(feed_path(new)))
    assert CalendarFeed.objects.count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/calendar/" + "A" * 43 + ".ics",
        "/api/v1/calendar/short.ics",
        "/api/v1/calendar/" + "A" * 500 + ".ics",
        "/api/v1/calendar/../../etc/passwd.ics",
    ],
)
def test_wrong_feed_token_is_404(db, path):
    response = APIClient().get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_feed_of_a_deactivated_user_is_gone(client_for, newcomer):
    url = client_for(newcomer).get("/api/v1/me/calendar/").json()["url"]
    newcomer.is_active = False
    newcomer.save()
    assert APIClient().get(feed_path(url)).status_code == 404


def test_my_calendar_needs_login(api_client):
    assert api_client.get("/api/v1/me/calendar/").status_code == 401
    assert api_client.post("/api/v1/me/calendar/reset/").status_code == 401


def test_cancelled_session_stays_in_the_feed_as_cancelled(client_for, newcomer):
    session = SessionFactory(club=ClubFactory(), status="cancelled")
    RegistrationFactory(session=session, user=newcomer)
    url = client_for(newcomer).get("/api/v1/me/calendar/").json()["url"]
    [event] = parse(APIClient().get(feed_path(url))).events
    assert event["STATUS"] == "CANCELLED"
