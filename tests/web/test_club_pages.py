"""The newcomers' club pages over HTTP: who may see and do what, what the HTML
shows (and never shows), bad input, and constant query counts."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from backend.accounts.models import VolunteerApplication, VolunteerStatus
from clubs.models import CalendarFeed, Feedback, Registration, Session
from clubs.services import registrations
from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory
from tests.factories import UserFactory
from tests.support import auth_queries, count_queries
from web.club_forms import iso_week

pytestmark = pytest.mark.django_db

ONLINE_URL = "https://meet.example.org/runa-secret-room"


@pytest.fixture
def club(volunteer):
    return ClubFactory(hosts=[volunteer], name="Runātava", language="lv")


@pytest.fixture
def last_place(club):
    """A session with one place, in two days."""
    return SessionFactory(club=club, capacity=1, topic="Pie ārsta", level="A2")


@pytest.fixture
def online(club):
    return SessionFactory(
        club=club,
        topic="Online tērzēšana",
        address="",
        online_url=ONLINE_URL,
        starts_at=timezone.now().replace(microsecond=0) + timedelta(days=3),
    )


def html_of(response) -> str:
    return response.content.decode()


def post(client, path: str, data: dict | None = None):
    # e-mails and room revocations run on commit; the test never commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, data or {}, follow=True)


# --- Who may see the pages -------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/clubs/", "/clubs/?view=week", "/me/sessions/", "/volunteer/"]
)
def test_club_pages_send_visitors_through_log_in_and_back(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert response["Location"].endswith(path.replace("?", "%3F").replace("=", "%3D"))


def test_a_session_link_opened_logged_out_leads_back_after_log_in(
    client, newcomer, last_place
):
    path = f"/sessions/{last_place.pk}/"
    response = client.get(path)
    assert response["Location"] == f"/accounts/login/?next={path}"
    response = client.post(
        response["Location"],
        {"login": newcomer.email, "password": "correct-Horse-battery-9"},
    )
    assert response.status_code == 302
    assert response["Location"] == path


def test_unknown_session_is_a_404_page(client, newcomer):
    client.force_login(newcomer)
    assert client.get("/sessions/999999/").status_code == 404
    assert client.post("/sessions/999999/sign-up/").status_code == 404
    assert client.get("/sessions/99999999999999999999/").status_code == 404


# --- Finding a session -----------------------------------------------------------


def test_list_shows_topic_level_my_time_place_map_link_and_places(
    client, newcomer, club
):
    newcomer.time_zone = "Europe/London"
    newcomer.save()
    starts = datetime(2031, 3, 5, 16, 0, tzinfo=UTC)  # 16:00 in London, 18:00 Riga
    SessionFactory(
        club=club,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        topic="Pie ārsta",
        level="A2",
        capacity=3,
        address="Brīvības iela 49/53, Rīga",
    )
    client.force_login(newcomer)
    html = html_of(client.get("/clubs/"))
    assert "Pie ārsta" in html
    assert "Runātava" in html
    assert '<span class="tag">A2</span>' in html
    assert "16:00–17:30" in html
    assert "Europe/London" in html
    assert (
        'href="https://www.openstreetmap.org/search?query='
        'Br%C4%ABv%C4%ABbas%20iela%2049%2F53%2C%20R%C4%ABga"' in html
    )
    assert "3 places left" in html
    # No map tiles or frames from another origin: only the plain link.
    assert "<iframe" not in html and "tile.openstreetmap" not in html
    session = Session.objects.get(topic="Pie ārsta")
    html = html_of(client.get(f"/sessions/{session.pk}/"))
    assert "Wednesday 5 March 2031, 16:00–17:30" in html
    assert "Your time zone: Europe/London" in html


def test_full_session_shows_the_waitlists_length(client, newcomer, last_place):
    RegistrationFactory(session=last_place)
    for position in (1, 2):
        RegistrationFactory(
            session=last_place, status="waitlisted", waitlist_position=position
        )
    client.force_login(newcomer)
    assert "Full · 2 on the waitlist" in html_of(client.get("/clubs/"))


def test_filters_narrow_the_list(client, newcomer, volunteer):
    in_person = SessionFactory(
        club=ClubFactory(hosts=[volunteer], city="riga"), topic="Tirgus", level="A1"
    )
    SessionFactory(
        club=ClubFactory(hosts=[volunteer], city="liepaja"),
        topic="Jūra",
        level="B1",
        capacity=1,
    )
    SessionFactory(
        club=ClubFactory(hosts=[volunteer], language="en", city="riga"),
        topic="Weather talk",
        level="A1",
        address="",
        online_url=ONLINE_URL,
    )
    full = Session.objects.get(topic="Jūra")
    RegistrationFactory(session=full)
    client.force_login(newcomer)

    def topics(query: str) -> set[str]:
        html = html_of(client.get("/clubs/" + query))
        return set(re.findall(r'class="session-title"><a [^>]*>([^<]+)</a>', html))

    assert topics("") == {"Tirgus", "Jūra", "Weather talk"}
    assert topics("?language=lv") == {"Tirgus", "Jūra"}
    assert topics("?level=B1") == {"Jūra"}
    assert topics("?format=online") == {"Weather talk"}
    assert topics("?format=in_person") == {"Tirgus", "Jūra"}
    assert topics("?city=liepaja") == {"Jūra"}
    assert topics("?has_space=on") == {"Tirgus", "Weather talk"}
    assert topics("?language=lv&level=A1&format=in_person&city=riga&has_space=on") == {
        in_person.topic
    }


def test_a_bad_filter_value_is_explained_and_shows_everything(
    client, newcomer, last_place
):
    client.force_login(newcomer)
    response = client.get("/clubs/?level=Z9&city=../../etc")
    assert response.status_code == 200
    html = html_of(response)
    assert "Select a valid choice" in html
    assert "Pie ārsta" in html


def test_week_view_shows_one_week_and_links_to_the_next_and_previous(
    client, newcomer, club
):
    newcomer.time_zone = "Europe/Riga"
    newcomer.save()
    monday = datetime(2031, 3, 3, 10, 0, tzinfo=UTC)  # a Monday
    for days, topic in ((0, "Pirmdiena"), (6, "Svētdiena"), (7, "Nākamā nedēļa")):
        starts = monday + timedelta(days=days)
        SessionFactory(
            club=club,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            topic=topic,
        )
    client.force_login(newcomer)
    week = iso_week(monday.date())
    html = html_of(client.get(f"/clubs/?view=week&week={week}"))
    assert "Pirmdiena" in html and "Svētdiena" in html
    assert "Nākamā nedēļa" not in html
    assert html.count('class="day-title"') == 7
    assert "?view=week&amp;week=2031-W09" in html  # previous
    assert "?view=week&amp;week=2031-W11" in html  # next
    html = html_of(client.get("/clubs/?view=week&week=2031-W11"))
    assert "Nākamā nedēļa" in html and "Pirmdiena" not in html


def test_week_view_keeps_the_filters_in_its_links(client, newcomer, last_place):
    client.force_login(newcomer)
    html = html_of(client.get("/clubs/?view=week&week=2031-W10&level=A2"))
    assert "?view=week&amp;week=2031-W11&amp;level=A2" in html


@pytest.mark.parametrize("week", ["2031-W60", "banana", "2031-W00"])
def test_a_week_that_does_not_exist_shows_this_week_with_a_message(
    client, newcomer, last_place, week
):
    client.force_login(newcomer)
    response = client.get(f"/clubs/?view=week&week={week}")
    assert response.status_code == 200
    html = html_of(response)
    assert "That week does not exist" in html
    assert iso_week(timezone.localdate()) in html


def test_list_is_paginated(client, newcomer, club):
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    for n in range(23):
        SessionFactory(club=club, starts_at=start + timedelta(days=n), topic=f"T{n}")
    client.force_login(newcomer)
    html = html_of(client.get("/clubs/?level=A2"))
    assert "Page 1 of 2" in html and ">T19<" in html and ">T20<" not in html
    assert "?level=A2&amp;page=2" in html
    html = html_of(client.get("/clubs/?level=A2&page=2"))
    assert ">T20<" in html and ">T22<" in html
    assert client.get("/clubs/?page=banana").status_code == 200


# --- Signing up, the waitlist and the online link -----------------------------------


def test_two_newcomers_one_place_one_waitlisted_then_promoted(
    client, newcomer, stranger, last_place
):
    path = f"/sessions/{last_place.pk}/"
    client.force_login(newcomer)
    html = html_of(post(client, path + "sign-up/"))
    assert "You have a place" in html

    client.force_login(stranger)
    assert "Join the waitlist" in html_of(client.get(path))
    html = html_of(post(client, path + "sign-up/"))
    assert "number 1 on the waitlist" in html
    assert re.search(r"You are number <strong>1</strong> on the waitlist", html)

    client.force_login(newcomer)
    html = html_of(post(client, path + "cancel-sign-up/"))
    assert "You are no longer signed up" in html

    client.force_login(stranger)
    html = html_of(client.get(path))
    assert "You have a place" in html
    assert Registration.objects.get(user=stranger, session=last_place).status == (
        "confirmed"
    )


def test_online_link_only_in_the_html_of_people_with_a_place(
    client, newcomer, stranger, volunteer, online
):
    online.capacity = 1
    online.save()
    waitlisted = UserFactory()
    registrations.registration_create(session_id=online.pk, user=newcomer)
    registrations.registration_create(session_id=online.pk, user=waitlisted)
    path = f"/sessions/{online.pk}/"
    for user, sees in (
        (newcomer, True),
        (volunteer, True),
        (waitlisted, False),
        (stranger, False),
    ):
        client.force_login(user)
        raw = client.get(path).content
        assert (ONLINE_URL.encode() in raw) is sees, user
        assert (b"meet.example.org" in raw) is sees, user
        raw = client.get("/clubs/").content
        assert b"meet.example.org" not in raw
        raw = client.get("/me/sessions/").content
        assert b"meet.example.org" not in raw


def test_room_link_only_for_those_the_room_lets_in(
    client, newcomer, stranger, volunteer, last_place
):
    registrations.registration_create(session_id=last_place.pk, user=newcomer)
    registrations.registration_create(session_id=last_place.pk, user=stranger)
    room = f'href="/rooms/{last_place.pk}/"'.encode()
    host = f'href="/host/sessions/{last_place.pk}/"'.encode()
    client.force_login(newcomer)
    raw = client.get(f"/sessions/{last_place.pk}/").content
    assert room in raw and host not in raw
    client.force_login(stranger)  # waitlisted
    raw = client.get(f"/sessions/{last_place.pk}/").content
    assert room not in raw and host not in raw
    client.force_login(volunteer)
    raw = client.get(f"/sessions/{last_place.pk}/").content
    assert room in raw and host in raw
    assert b"Sign up" not in raw


def test_a_cancelled_session_cannot_be_signed_up_for(client, newcomer, last_place):
    last_place.status = Session.Status.CANCELLED
    last_place.cancel_reason = "The host is ill."
    last_place.save()
    client.force_login(newcomer)
    path = f"/sessions/{last_place.pk}/"
    html = html_of(client.get(path))
    assert "This session has been cancelled." in html
    assert "The host is ill." in html
    assert f'action="/sessions/{last_place.pk}/sign-up/"' not in html
    html = html_of(post(client, path + "sign-up/"))
    assert "This session has been cancelled." in html
    assert not Registration.objects.filter(session=last_place).exists()


def test_signing_up_twice_or_for_a_clashing_time_is_explained(
    client, newcomer, club, last_place
):
    clash = SessionFactory(
        club=ClubFactory(),
        starts_at=last_place.starts_at + timedelta(minutes=30),
        ends_at=last_place.ends_at + timedelta(minutes=30),
    )
    client.force_login(newcomer)
    post(client, f"/sessions/{last_place.pk}/sign-up/")
    html = html_of(post(client, f"/sessions/{last_place.pk}/sign-up/"))
    assert "already signed up for this session" in html
    html = html_of(post(client, f"/sessions/{clash.pk}/sign-up/"))
    assert "another session at that time" in html
    assert Registration.objects.filter(user=newcomer).count() == 1


def test_after_the_start_sign_up_and_cancel_are_refused(client, newcomer, last_place):
    registrations.registration_create(session_id=last_place.pk, user=newcomer)
    Session.objects.filter(pk=last_place.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(minutes=85),
    )
    client.force_login(newcomer)
    html = html_of(post(client, f"/sessions/{last_place.pk}/cancel-sign-up/"))
    assert "already started or is over" in html
    assert Registration.objects.get(user=newcomer).status == "confirmed"


def test_pages_refuse_get_on_post_routes(client, newcomer, last_place):
    client.force_login(newcomer)
    assert client.get(f"/sessions/{last_place.pk}/sign-up/").status_code == 405
    assert client.get("/me/calendar/reset/").status_code == 405


# --- Check-in and feedback -----------------------------------------------------------


@pytest.fixture
def started(last_place, newcomer):
    registrations.registration_create(session_id=last_place.pk, user=newcomer)
    Session.objects.filter(pk=last_place.pk).update(
        starts_at=timezone.now() - timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(minutes=80),
    )
    last_place.refresh_from_db()
    return last_place


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "This field is required."), ("WRONG1", "This check-in code is not right.")],
)
def test_a_wrong_or_missing_check_in_code_is_explained_and_changes_nothing(
    client, newcomer, started, code, message
):
    client.force_login(newcomer)
    response = client.post(f"/sessions/{started.pk}/check-in/", {"code": code})
    assert response.status_code == 400
    assert message in html_of(response)
    assert Registration.objects.get(user=newcomer).status == "confirmed"


def test_check_in_with_the_sessions_code_then_feedback(client, newcomer, started):
    client.force_login(newcomer)
    html = html_of(client.get(f"/sessions/{started.pk}/"))
    assert "Check in" in html and "Your feedback" not in html
    html = html_of(
        post(
            client,
            f"/sessions/{started.pk}/check-in/",
            {"code": started.check_in_code.lower()},
        )
    )
    assert "You are checked in" in html
    assert Registration.objects.get(user=newcomer).status == "attended"
    assert "Your feedback" in html

    response = client.post(
        f"/sessions/{started.pk}/feedback/", {"rating": "9", "comment": "x"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in html_of(response)
    assert not Feedback.objects.exists()

    html = html_of(
        post(
            client,
            f"/sessions/{started.pk}/feedback/",
            {"rating": "5", "comment": "Lieliski!"},
        )
    )
    assert "Thank you for your feedback" in html
    assert "You have left feedback" in html
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment) == (5, "Lieliski!")


def test_feedback_from_someone_who_did_not_attend_changes_nothing(
    client, stranger, started
):
    client.force_login(stranger)
    html = html_of(post(client, f"/sessions/{started.pk}/feedback/", {"rating": "1"}))
    assert "Only people who attended" in html
    html = html_of(post(client, f"/sessions/{started.pk}/feedback/", {"rating": "x"}))
    assert "Only people who attended" in html
    assert not Feedback.objects.exists()


def test_a_stranger_cannot_check_in(client, stranger, started):
    client.force_login(stranger)
    assert 'name="code"' not in html_of(client.get(f"/sessions/{started.pk}/"))
    html = html_of(
        post(
            client, f"/sessions/{started.pk}/check-in/", {"code": started.check_in_code}
        )
    )
    assert "You are not signed up for this session." in html
    assert not Registration.objects.filter(user=stranger).exists()


# --- My sessions and the calendar ----------------------------------------------------


def test_my_sessions_upcoming_and_past_with_status(client, newcomer, club):
    now = timezone.now().replace(microsecond=0)

    def session(topic: str, days: int) -> Session:
        return SessionFactory(
            club=club,
            topic=topic,
            starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=1),
        )

    RegistrationFactory(user=newcomer, session=session("Nākotne", 2))
    RegistrationFactory(
        user=newcomer,
        session=session("Rinda", 3),
        status="waitlisted",
        waitlist_position=2,
    )
    RegistrationFactory(user=newcomer, session=session("Bija", -3), status="attended")
    RegistrationFactory(user=newcomer, session=session("Nebija", -5), status="no_show")
    RegistrationFactory(
        user=newcomer, session=session("Atteicos", 4), status="cancelled"
    )
    cancelled = session("Atcelta", 5)
    cancelled.status = Session.Status.CANCELLED
    cancelled.save()
    RegistrationFactory(user=newcomer, session=cancelled)
    # Cancelled, then signed up again: shown once, as confirmed.
    again = session("Atkal", 6)
    RegistrationFactory(user=newcomer, session=again, status="cancelled")
    RegistrationFactory(user=newcomer, session=again)
    RegistrationFactory(session=session("Ne mana", 7))

    client.force_login(newcomer)
    html = html_of(client.get("/me/sessions/"))
    upcoming, past = html.split('id="past"')
    assert "Ne mana" not in html
    assert upcoming.count("session-card") == 5
    assert html.count(">Atkal<") == 1
    for topic, status in (
        ("Nākotne", "You have a place"),
        ("Rinda", "Waitlisted, number 2"),
        ("Atteicos", "You cancelled"),
        ("Atcelta", "Session cancelled"),
        ("Atkal", "You have a place"),
    ):
        assert re.search(f">{topic}<.*?{status}", upcoming, re.S), topic
    assert re.search(">Bija<.*?You attended", past, re.S)
    assert re.search(">Nebija<.*?Marked absent", past, re.S)


def test_calendar_link_works_with_the_session_cookie(client, newcomer, online):
    registrations.registration_create(session_id=online.pk, user=newcomer)
    client.force_login(newcomer)
    html = html_of(client.get(f"/sessions/{online.pk}/"))
    link = re.search(r'href="([^"]+\.ics)"', html)[1]
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content
    assert ONLINE_URL.encode() in response.content


def test_feed_url_is_shown_and_reset_makes_a_new_one(client, newcomer, last_place):
    client.force_login(newcomer)
    html = html_of(client.get("/me/sessions/"))
    old = CalendarFeed.objects.get(user=newcomer).token
    assert f"/api/v1/calendar/{old}.ics" in html
    html = html_of(
        post(client, "/me/calendar/reset/", {"next": f"/sessions/{last_place.pk}/"})
    )
    new = CalendarFeed.objects.get(user=newcomer).token
    assert new != old
    assert f"/api/v1/calendar/{new}.ics" in html and old not in html
    assert "the old one no longer works" in html
    assert client.get(f"/api/v1/calendar/{old}.ics").status_code == 404


def test_feed_reset_never_redirects_to_another_site(client, newcomer):
    client.force_login(newcomer)
    response = client.post("/me/calendar/reset/", {"next": "https://evil.example/"})
    assert response["Location"] == "/me/sessions/"


# --- Volunteering ----------------------------------------------------------------


def test_apply_to_volunteer_and_see_the_status(client, newcomer, staff):
    client.force_login(newcomer)
    html = html_of(client.get("/volunteer/"))
    assert "Send my application" in html
    response = client.post(
        "/volunteer/", {"motivation": "Short", "languages": ["lv", "xx"]}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in html_of(response)
    assert not VolunteerApplication.objects.exists()

    html = html_of(
        client.post(
            "/volunteer/",
            {"motivation": "I have taught Latvian for years.", "languages": ["lv"]},
            follow=True,
        )
    )
    assert "Staff will look at your application" in html
    assert "waiting for a decision" in html
    assert "Send my application" not in html
    newcomer.refresh_from_db()
    assert newcomer.volunteer_status == VolunteerStatus.PENDING

    # Sent again (an old tab): the service refuses, nothing new is stored.
    html = html_of(
        client.post(
            "/volunteer/",
            {"motivation": "I have taught Latvian for years.", "languages": ["lv"]},
            follow=True,
        )
    )
    assert "already waiting for a decision" in html
    assert VolunteerApplication.objects.count() == 1


def test_an_approved_volunteer_sees_the_way_to_host(client, volunteer):
    client.force_login(volunteer)
    html = html_of(client.get("/volunteer/"))
    assert "You are an approved volunteer." in html
    assert 'href="/host/"' in html
    assert "Send my application" not in html


def test_a_rejected_applicant_may_apply_again(client, newcomer, staff):
    from backend.accounts import services

    application = services.volunteer_apply(
        user=newcomer, motivation="I would like to help.", languages=["uk"]
    )
    services.volunteer_application_decide(
        application_id=application.pk, staff=staff, approve=False
    )
    client.force_login(newcomer)
    html = html_of(client.get("/volunteer/"))
    assert "not approved" in html and "Send my application" in html


# --- Navigation and CSP -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/clubs/", "/me/sessions/", "/volunteer/"])
def test_club_pages_are_in_the_navigation_and_have_no_inline_code(
    client, newcomer, path
):
    client.force_login(newcomer)
    response = client.get(path)
    html = html_of(response)
    assert 'href="/clubs/"' in html and 'href="/me/sessions/"' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag
    assert "<style" not in html and " style=" not in html


def test_session_page_has_no_inline_code(client, newcomer, last_place):
    client.force_login(newcomer)
    html = html_of(client.get(f"/sessions/{last_place.pk}/"))
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag
    assert "<style" not in html and " style=" not in html


# --- Query counts ----------------------------------------------------------------


def _queries(client, path: str) -> int:
    responses = []
    count = count_queries(lambda: responses.append(client.get(path)))
    assert responses[0].status_code == 200
    return count


def _grow(club, user, count: int, start: datetime) -> None:
    for n in range(count):
        session = SessionFactory(
            club=club,
            starts_at=start + timedelta(hours=2 * n),
            ends_at=start + timedelta(hours=2 * n + 1),
        )
        RegistrationFactory(session=session, user=user)
        RegistrationFactory(session=session)
        past = SessionFactory(
            club=club,
            starts_at=timezone.now() - timedelta(days=n + 1),
            ends_at=timezone.now() - timedelta(days=n + 1) + timedelta(hours=1),
        )
        RegistrationFactory(session=past, user=user, status="attended")


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/clubs/", 5),
        ("/clubs/?view=week&week=2031-W10", 5),
        ("/clubs/?language=lv&has_space=on", 5),
        ("/me/sessions/", 4),
    ],
)
def test_club_pages_render_with_a_constant_number_of_queries(
    client, newcomer, club, path, queries, settings
):
    # /clubs/: the filters' languages and cities, the count, the page, its
    # sessions' exercise packs and what I see of them (places, my place).
    # /me/sessions/: my calendar feed, the upcoming ones, the past ones' count
    # and page. Plus the log-in's (auth_queries).
    client.force_login(newcomer)
    start = datetime(2031, 3, 4, 8, 0, tzinfo=UTC)  # in week 2031-W10
    _grow(club, newcomer, 1, start)
    client.get(path)  # makes my calendar feed's secret once
    small = _queries(client, path)
    _grow(club, newcomer, 12, start + timedelta(hours=2))
    assert _queries(client, path) == small
    assert small == queries + auth_queries()


@pytest.mark.parametrize(
    ("language", "title", "places"),
    [
        ("lv", "Klubu nodarbības", "1 brīva vieta"),
        ("ru", "Занятия клубов", "1 свободное место"),
        ("uk", "Заняття клубів", "1 вільне місце"),
    ],
)
def test_club_pages_speak_the_readers_language(
    client, newcomer, last_place, language, title, places
):
    newcomer.interface_language = language
    newcomer.save()
    client.force_login(newcomer)
    html = html_of(client.get("/clubs/"))
    assert title in html and places in html
    html = html_of(client.get(f"/sessions/{last_place.pk}/"))
    assert {"lv": "Pieteikties", "ru": "Записаться", "uk": "Записатися"}[
        language
    ] in html
