"""The host, dispute and report pages over HTTP: who may open them, what the
forms change (through the clubs and exercises services), bad input, and
constant query counts."""

import re
from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from clubs.models import Club, CoHostInvitation, Feedback, Registration, Session
from exercises.models import Attempt, Dispute, LanguageProfile
from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory
from tests.exercises.factories import ExerciseFactory, LatvianProfileFactory
from tests.factories import UserFactory, VolunteerFactory
from tests.support import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(volunteer):
    return ClubFactory(hosts=[volunteer], name="Runātāji")


@pytest.fixture
def session(club):
    return SessionFactory(club=club, capacity=2, topic="Pie ārsta")


def started(session: Session) -> Session:
    """Move a session into the past: it began an hour ago."""
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(minutes=30)
    )
    session.refresh_from_db()
    return session


def login(client, user):
    client.force_login(user)
    return client


def host_pages(club, session) -> list[str]:
    return [
        "/host/",
        "/host/clubs/new/",
        f"/host/clubs/{club.pk}/edit/",
        f"/host/clubs/{club.pk}/sessions/new/",
        f"/host/sessions/{session.pk}/",
        f"/host/sessions/{session.pk}/edit/",
        f"/host/sessions/{session.pk}/code/",
    ]


def dispute_for(user, *, answer="Es gribu macities", kind="translate", language="lv"):
    LatvianProfileFactory()
    if language != "lv":
        LanguageProfile.objects.get_or_create(language=language)
    exercise = ExerciseFactory(kind=kind, language=language)
    attempt = Attempt.objects.create(
        user=user,
        exercise=exercise,
        answer=answer,
        verdict="almost",
        client_attempt_id=f"00000000-0000-4000-8000-{Attempt.objects.count():012d}",
        answered_at=timezone.now(),
    )
    return Dispute.objects.create(attempt=attempt, user=user, comment="Telefons")


# --- Who may not --------------------------------------------------------------


def test_host_pages_send_visitors_to_log_in(client, club, session):
    for path in [*host_pages(club, session), "/disputes/", "/reports/participation/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"/accounts/login/?next={path}"


def test_a_newcomer_gets_the_403_page_on_every_host_page(
    client, newcomer, club, session
):
    login(client, newcomer)
    for path in [*host_pages(club, session), "/disputes/", "/reports/participation/"]:
        response = client.get(path)
        assert response.status_code == 403, path
        html = response.content.decode()
        assert "You may not open this page" in html, path
        assert '<header class="top">' in html, path  # in the layout


def test_a_volunteer_may_not_open_the_staff_report(client, volunteer):
    response = login(client, volunteer).get("/reports/participation/")
    assert response.status_code == 403
    assert "Only city staff" in response.content.decode()


def test_a_volunteer_who_does_not_host_the_club_is_refused(client, club, session):
    other = VolunteerFactory()
    login(client, other)
    assert client.get("/host/").status_code == 200
    for path in host_pages(club, session)[2:]:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Only the club&#x27;s hosts may do this." in response.content.decode()
    person = RegistrationFactory(session=started(session)).user
    response = client.post(
        f"/host/sessions/{session.pk}/attendance/",
        {"user": person.pk, "status": "attended"},
    )
    assert response.status_code == 403
    assert Registration.objects.get(user=person).status == "confirmed"
    response = client.post(f"/host/sessions/{session.pk}/cancel/", {"reason": "x"})
    assert response.status_code == 403
    assert Session.objects.get(pk=session.pk).status == "scheduled"


def test_unknown_ids_are_404_pages(client, volunteer):
    login(client, volunteer)
    assert client.get("/host/sessions/999999/").status_code == 404
    assert client.get("/host/clubs/999999/edit/").status_code == 404
    response = client.post("/host/invitations/999999/", {"decision": "accept"})
    assert response.status_code == 404


def test_nav_links_show_only_to_those_who_may_use_them(
    client, newcomer, volunteer, staff
):
    html = login(client, newcomer).get("/practice/").content.decode()
    assert 'href="/host/"' not in html and 'href="/disputes/"' not in html
    html = login(client, volunteer).get("/practice/").content.decode()
    assert 'href="/host/"' in html and 'href="/disputes/"' in html
    assert 'href="/reports/participation/"' not in html
    html = login(client, staff).get("/practice/").content.decode()
    assert 'href="/reports/participation/"' in html


# --- Clubs and sessions -------------------------------------------------------


CLUB_FORM = {
    "name": "Vakara saruna",
    "description": "Runājam latviski.",
    "language": "lv",
    "level_min": "A1",
    "level_max": "B1",
    "address": "Brīvības iela 49, Rīga",
    "city": "riga",
    "online_url": "",
    "weekday": "3",
    "start_time": "18:30",
    "duration_minutes": "90",
    "capacity": "8",
}


def test_a_volunteer_creates_a_club_with_its_sessions(client, volunteer, riga_midday):
    # At noon this week's Thursday 18:30 is still to come, whatever the day.
    LatvianProfileFactory()
    response = login(client, volunteer).post("/host/clubs/new/", CLUB_FORM)
    club = Club.objects.get(name="Vakara saruna")
    assert response.status_code == 302
    assert response["Location"] == f"/host/clubs/{club.pk}/edit/"
    assert list(club.hosts.all()) == [volunteer]
    assert club.start_time.strftime("%H:%M") == "18:30" and club.weekday == 3
    assert club.sessions.count() == 4  # the coming weeks, from the schedule
    html = client.get(response["Location"]).content.decode()
    assert "The club is created" in html


def test_club_form_shows_the_services_and_serializers_errors(client, volunteer):
    login(client, volunteer)
    bad = {**CLUB_FORM, "address": "", "level_min": "B2", "start_time": "25:00"}
    response = client.post("/host/clubs/new/", bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Use a 24-hour time as HH:MM." in html
    bad = {**CLUB_FORM, "address": "", "level_min": "B2"}
    html = client.post("/host/clubs/new/", bad).content.decode()
    # The service's rules, on their fields.
    assert "The highest level is below the lowest." in html
    assert "A club that meets in person needs an address." in html
    assert not Club.objects.exists()


def test_editing_the_club_moves_its_schedule(client, volunteer, club):
    login(client, volunteer)
    page = client.get(f"/host/clubs/{club.pk}/edit/").content.decode()
    assert 'value="18:00"' in page
    data = {**CLUB_FORM, "name": club.name, "start_time": "19:15", "active": "on"}
    response = client.post(f"/host/clubs/{club.pk}/edit/", data)
    assert response.status_code == 302
    club.refresh_from_db()
    assert club.start_time.strftime("%H:%M") == "19:15"
    assert club.active is True


def test_a_one_off_session_is_entered_in_the_hosts_time_zone(client, club):
    host = club.hosts.get()
    host.time_zone = "Europe/Kyiv"
    host.save()
    login(client, host)
    day = (timezone.now() + timedelta(days=10)).date()
    response = client.post(
        f"/host/clubs/{club.pk}/sessions/new/",
        {
            "starts_at": f"{day}T19:00",
            "ends_at": "",
            "topic": "Tirgū",
            "level": "A2",
            "capacity": "5",
            "address": club.address,
            "online_url": "",
        },
    )
    session = Session.objects.get(topic="Tirgū")
    assert response["Location"] == f"/host/sessions/{session.pk}/"
    local = timezone.localtime(session.starts_at, host.zone)
    assert (local.date(), local.hour, local.minute) == (day, 19, 0)
    assert session.ends_at - session.starts_at == timedelta(minutes=90)
    assert session.capacity == 5


def test_a_session_in_the_past_is_refused_and_nothing_changes(client, club):
    login(client, club.hosts.get())
    before = Session.objects.count()
    html = client.post(
        f"/host/clubs/{club.pk}/sessions/new/",
        {
            "starts_at": "2020-01-01T10:00",
            "level": "A2",
            "capacity": "5",
            "address": "x",
        },
    ).content.decode()
    assert "The session must start in the future." in html
    html = client.post(
        f"/host/clubs/{club.pk}/sessions/new/",
        {"starts_at": "tomorrow", "level": "Z9", "capacity": "-1"},
    ).content.decode()
    assert "Enter a valid date/time." in html
    assert Session.objects.count() == before


def test_editing_a_session_tells_people_signed_up(
    client, club, session, mailoutbox, django_capture_on_commit_callbacks
):
    host = club.hosts.get()
    RegistrationFactory(session=session)
    login(client, host)
    page = client.get(f"/host/sessions/{session.pk}/edit/").content.decode()
    assert "Pie ārsta" in page
    start = timezone.localtime(session.starts_at, host.zone) + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/host/sessions/{session.pk}/edit/",
            {
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": timezone.localtime(session.ends_at, host.zone).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
                "topic": "Veikalā",
                "level": "A2",
                "capacity": "2",
                "address": session.address,
            },
        )
    assert response.status_code == 302
    moved = Session.objects.get(pk=session.pk)
    assert moved.topic == "Veikalā"
    # Moving the start alone keeps the length.
    assert moved.ends_at - moved.starts_at == session.ends_at - session.starts_at
    assert moved.starts_at.replace(second=0) != session.starts_at.replace(second=0)
    assert len(mailoutbox) == 1


def test_cancelling_needs_a_reason_and_tells_everyone(
    client, club, session, mailoutbox, django_capture_on_commit_callbacks
):
    RegistrationFactory(session=session)
    login(client, club.hosts.get())
    response = client.post(f"/host/sessions/{session.pk}/cancel/", {"reason": " "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Session.objects.get(pk=session.pk).status == "scheduled"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/host/sessions/{session.pk}/cancel/", {"reason": "Slimība"}
        )
    assert response.status_code == 302
    cancelled = Session.objects.get(pk=session.pk)
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "Slimība")
    assert len(mailoutbox) == 1 and "Slimība" in mailoutbox[0].body
    html = client.get(f"/host/sessions/{session.pk}/").content.decode()
    assert "This session has been cancelled." in html


# --- A session as its host ----------------------------------------------------


@pytest.mark.parametrize(
    "page", ["/host/", "/host/clubs/{club}/edit/", "/host/sessions/{session}/"]
)
def test_host_pages_count_the_places_taken(client, club, session, page):
    RegistrationFactory(session=session)
    RegistrationFactory(session=session, status="attended")
    RegistrationFactory(session=session, status="cancelled")
    RegistrationFactory(session=session, status="waitlisted", waitlist_position=1)
    login(client, club.hosts.get())
    html = client.get(page.format(club=club.pk, session=session.pk)).content.decode()
    assert "2 of 2 places taken" in html


def test_session_page_shows_participants_without_email_addresses(client, club, session):
    people = [
        UserFactory(display_name="Olena", level="A2", email="olena@example.org"),
        UserFactory(display_name="Taras", level="B1", email="taras@example.org"),
        UserFactory(display_name="Ira", email="ira@example.org"),
    ]
    RegistrationFactory(session=session, user=people[0])
    RegistrationFactory(session=session, user=people[1])
    RegistrationFactory(
        session=session, user=people[2], status="waitlisted", waitlist_position=1
    )
    Feedback.objects.create(session=session, user=people[0], rating=4, comment="Labi")
    Feedback.objects.create(session=session, user=people[1], rating=5)
    exercise = ExerciseFactory(kind="translate", prompt="Pasaki: labdien")
    session.exercises.set([exercise])
    login(client, club.hosts.get())
    html = client.get(f"/host/sessions/{session.pk}/").content.decode()
    for person in people:
        assert person.display_name in html
        assert person.email not in html
    assert "@example.org" not in html
    assert "Waitlisted 1" in html and "B1" in html
    assert session.check_in_code in html
    assert 'id="feedback-count">2<' in html and "4.5 / 5" in html and "Labi" in html
    assert "Pasaki: labdien" in html and f"/api/v1/exercises/{exercise.pk}/" in html
    # Before the start: no attendance buttons.
    assert "/attendance/" not in html


def test_attendance_from_the_start_on(client, club, session):
    person = RegistrationFactory(session=session).user
    login(client, club.hosts.get())
    url = f"/host/sessions/{session.pk}/attendance/"
    response = client.post(url, {"user": person.pk, "status": "attended"}, follow=True)
    assert "Attendance can be taken from the start of the session." in (
        response.content.decode()
    )
    assert Registration.objects.get(user=person).status == "confirmed"
    started(session)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"user": person.pk, "status": "no_show"})
    assert response.status_code == 302
    assert Registration.objects.get(user=person).status == "no_show"
    html = client.get(f"/host/sessions/{session.pk}/").content.decode()
    assert 'data-status="no_show"' in html


@pytest.mark.parametrize(
    "data",
    [
        {"user": "abc", "status": "attended"},
        {"user": "1", "status": "present"},
        {"status": "attended"},
        {"user": "99999999", "status": "attended"},
    ],
)
def test_bad_attendance_input_says_so_and_changes_nothing(client, club, session, data):
    registration = RegistrationFactory(session=started(session))
    login(client, club.hosts.get())
    response = client.post(
        f"/host/sessions/{session.pk}/attendance/", data, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Choose a participant and attended or no-show." in html
        or "This person is not signed up for this session." in html
    )
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_host_checks_a_participant_in_by_their_code(client, club, session):
    registration = RegistrationFactory(session=started(session))
    login(client, club.hosts.get())
    url = f"/host/sessions/{session.pk}/check-in/"
    html = client.post(url, {"code": "WRONG1"}, follow=True).content.decode()
    assert "This check-in code is not right." in html
    client.post(url, {"code": registration.check_in_code.lower()})
    registration.refresh_from_db()
    assert registration.status == "attended"


def test_full_screen_code_page(client, club, session):
    login(client, club.hosts.get())
    html = client.get(f"/host/sessions/{session.pk}/code/").content.decode()
    assert f'class="code" id="session-code">{session.check_in_code}<' in html


# --- Co-host invitations ------------------------------------------------------


def test_invitations_are_accepted_or_declined_by_the_invitee_only(
    client, club, volunteer
):
    invitee = VolunteerFactory(display_name="Anna")
    invitation = CoHostInvitation.objects.create(
        club=club, invitee=invitee, invited_by=volunteer
    )
    other = ClubFactory(name="Otrs")
    declined = CoHostInvitation.objects.create(club=other, invitee=invitee)
    login(client, volunteer)
    url = f"/host/invitations/{invitation.pk}/"
    assert client.post(url, {"decision": "accept"}).status_code == 404
    login(client, invitee)
    html = client.get("/host/").content.decode()
    assert "Jānis invites you to host this club with them." in html
    response = client.post(url, {"decision": "maybe"}, follow=True)
    assert "Choose to accept or to decline." in response.content.decode()
    client.post(url, {"decision": "accept"})
    client.post(f"/host/invitations/{declined.pk}/", {"decision": "decline"})
    assert invitee in club.hosts.all() and invitee not in other.hosts.all()
    html = client.post(url, {"decision": "accept"}, follow=True).content.decode()
    assert "This invitation has already been answered." in html


# --- Disputes -----------------------------------------------------------------


def test_dispute_queue_shows_the_answer_next_to_the_accepted_ones(
    client, volunteer, newcomer
):
    dispute_for(newcomer)
    html = login(client, volunteer).get("/disputes/").content.decode()
    assert "Es gribu macities" in html
    assert "Es gribu mācīties" in html  # the factory's accepted answer
    assert newcomer.email not in html


def shown_disputes(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li id="dispute-(\d+)">', html)]


def test_dispute_queue_pages_through_the_disputes_oldest_first(client, volunteer):
    disputes = [dispute_for(UserFactory()).pk for _ in range(60)]
    login(client, volunteer)
    html = client.get("/disputes/").content.decode()
    assert shown_disputes(html) == disputes[:50]
    assert "60 answers wait for a judge" in html
    assert '<nav class="pager" aria-label="Pages">' in html
    assert "Page 1 of 2" in html
    assert '<a href="?page=2" rel="next">' in html
    assert 'rel="prev"' not in html
    html = client.get("/disputes/", {"page": "2"}).content.decode()
    assert shown_disputes(html) == disputes[50:]
    assert "Page 2 of 2" in html
    assert '<a href="?page=1" rel="prev">' in html
    assert 'rel="next"' not in html


def test_few_disputes_need_no_pager(client, volunteer, newcomer):
    dispute_for(newcomer)
    html = login(client, volunteer).get("/disputes/").content.decode()
    assert len(shown_disputes(html)) == 1
    assert 'class="pager"' not in html


@pytest.mark.parametrize(
    "query,page",
    [
        ({"page": "abc"}, 1),
        ({"page": "0"}, 2),
        ({"page": "-1"}, 2),
        ({"page": "999"}, 2),
        ({"page": "2.5"}, 1),
    ],
)
def test_a_bad_page_shows_the_first_or_the_last_page(client, volunteer, query, page):
    disputes = [dispute_for(UserFactory()).pk for _ in range(51)]
    response = login(client, volunteer).get("/disputes/", query)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Page {page} of 2" in html
    assert shown_disputes(html) == (disputes[:50] if page == 1 else disputes[50:])


def test_the_language_filter_shows_only_that_language_and_paging_keeps_it(
    client, volunteer
):
    latvian = [dispute_for(UserFactory()).pk for _ in range(3)]
    estonian = [dispute_for(UserFactory(), language="et").pk for _ in range(52)]
    login(client, volunteer)
    html = client.get("/disputes/").content.decode()
    assert '<option value="et">Estonian</option>' in html
    assert '<option value="lv">Latvian</option>' in html
    html = client.get("/disputes/", {"language": "lv"}).content.decode()
    assert shown_disputes(html) == latvian
    assert "3 answers wait for a judge" in html
    assert '<option value="lv" selected>Latvian</option>' in html
    html = client.get("/disputes/", {"language": "et"}).content.decode()
    assert shown_disputes(html) == estonian[:50]
    assert "Page 1 of 2" in html
    assert '<a href="?language=et&amp;page=2" rel="next">' in html
    html = client.get("/disputes/", {"language": "et", "page": "2"}).content.decode()
    assert shown_disputes(html) == estonian[50:]
    assert '<a href="?language=et&amp;page=1" rel="prev">' in html


def test_a_language_without_disputes_says_so(client, volunteer):
    LanguageProfile.objects.create(language="et")
    dispute_for(UserFactory())
    response = login(client, volunteer).get("/disputes/", {"language": "et"})
    assert response.status_code == 200
    html = response.content.decode()
    assert shown_disputes(html) == []
    assert "No disputes in this language are waiting." in html


@pytest.mark.parametrize("language", ["xx", "LV", "<b>", "l" * 300])
def test_an_unknown_language_is_a_form_error_not_a_filter(client, volunteer, language):
    disputes = [dispute_for(UserFactory()).pk for _ in range(2)]
    response = login(client, volunteer).get("/disputes/", {"language": language})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice." in html
    assert shown_disputes(html) == disputes


def test_a_newcomer_is_refused_the_queue_whatever_the_filters(client, newcomer):
    dispute_for(UserFactory())
    response = login(client, newcomer).get("/disputes/", {"language": "lv", "page": 2})
    assert response.status_code == 403
    assert "Es gribu macities" not in response.content.decode()


def test_deciding_goes_back_to_the_same_page_and_language(client, volunteer):
    disputes = [dispute_for(UserFactory()).pk for _ in range(52)]
    login(client, volunteer)
    html = client.get("/disputes/", {"language": "lv", "page": "2"}).content.decode()
    action = f"/disputes/{disputes[50]}/decide/?language=lv&amp;page=2"
    assert f'action="{action}"' in html
    response = client.post(
        f"/disputes/{disputes[50]}/decide/?language=lv&page=2", {"decision": "accept"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/disputes/?language=lv&page=2"
    assert Dispute.objects.get(pk=disputes[50]).status == "accepted"
    response = client.post(
        f"/disputes/{disputes[0]}/decide/?next=https://example.org/",
        {"decision": "accept"},
    )
    assert response["Location"] == "/disputes/"


def test_rejecting_needs_a_reason_that_the_learner_then_sees(
    client, volunteer, newcomer
):
    dispute = dispute_for(newcomer)
    login(client, volunteer)
    url = f"/disputes/{dispute.pk}/decide/"
    html = client.post(
        url, {"decision": "reject", "reason": "  "}, follow=True
    ).content.decode()
    assert "Say why the answer is not accepted." in html
    assert Dispute.objects.get().status == "pending"
    client.post(url, {"decision": "reject", "reason": "Garumzīmes ir obligātas."})
    assert Dispute.objects.get().status == "rejected"
    html = login(client, newcomer).get("/progress/").content.decode()
    assert "Rejected: Garumzīmes ir obligātas." in html


def test_a_judge_cannot_decide_twice_or_their_own(client, volunteer, newcomer):
    dispute = dispute_for(newcomer)
    own = dispute_for(volunteer, answer="Mana atbilde")
    login(client, volunteer)
    html = client.get("/disputes/").content.decode()
    assert "This is your own dispute" in html
    html = client.post(
        f"/disputes/{own.pk}/decide/", {"decision": "accept"}, follow=True
    ).content.decode()
    assert "You cannot judge your own dispute." in html
    client.post(f"/disputes/{dispute.pk}/decide/", {"decision": "accept"})
    html = client.post(
        f"/disputes/{dispute.pk}/decide/",
        {"decision": "reject", "reason": "x"},
        follow=True,
    ).content.decode()
    assert "This dispute has already been decided." in html
    assert Dispute.objects.get(pk=dispute.pk).status == "accepted"
    assert (
        client.post("/disputes/999999/decide/", {"decision": "accept"}).status_code
        == 404
    )
    assert (
        client.post(f"/disputes/{dispute.pk}/decide/", {"decision": "x"}).status_code
        == 302
    )


def test_a_newcomer_cannot_decide_a_dispute(client, newcomer, stranger):
    dispute = dispute_for(stranger)
    response = login(client, newcomer).post(
        f"/disputes/{dispute.pk}/decide/", {"decision": "accept"}
    )
    assert response.status_code == 403
    assert Dispute.objects.get().status == "pending"


# --- Report -------------------------------------------------------------------


def test_report_page_shows_the_rows_and_links_the_csv(client, staff, session):
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3, hours=-1)
    )
    RegistrationFactory(session=session, status="attended")
    login(client, staff)
    html = client.get("/reports/participation/").content.decode()
    assert "Runātāji" in html
    assert "/api/v1/reports/participation/?from=" in html and "format=csv" in html
    assert "/admin/" in html
    day = timezone.localdate()
    response = client.get(
        "/reports/participation/",
        {"date_from": str(day), "date_to": str(day - timedelta(days=1))},
    )
    assert response.status_code == 400
    assert "`to` is before `from`." in response.content.decode()
    response = client.get("/reports/participation/", {"club": "abc"})
    assert response.status_code == 400


# --- Query counts -------------------------------------------------------------


def _grow_host(volunteer, count: int) -> None:
    for _ in range(count):
        club = ClubFactory(hosts=[volunteer])
        session = SessionFactory(club=club)
        RegistrationFactory(session=session)
        CoHostInvitation.objects.create(club=ClubFactory(), invitee=volunteer)


def _grow_disputes(count: int) -> None:
    for _ in range(count):
        dispute_for(UserFactory())


def _grow_report(count: int) -> None:
    now = timezone.now()
    for _ in range(count):
        session = SessionFactory(
            starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2, hours=-1)
        )
        RegistrationFactory(session=session, status="attended")


@pytest.mark.parametrize(
    "path,grow,who",
    [
        ("/host/", _grow_host, "volunteer"),
        ("/disputes/", _grow_disputes, "volunteer"),
        ("/disputes/?language=lv", _grow_disputes, "volunteer"),
        ("/reports/participation/", _grow_report, "staff"),
    ],
)
def test_list_pages_render_with_a_constant_number_of_queries(
    client, volunteer, staff, path, grow, who
):
    user = {"volunteer": volunteer, "staff": staff}[who]
    login(client, user)
    client.get(path)  # warms the caches of the user and the session

    def run(count):
        if grow is _grow_host:
            grow(volunteer, count)
        else:
            grow(count)
        return count_queries(lambda: client.get(path))

    small = run(1)
    assert run(12) == small


def test_a_later_dispute_page_has_a_constant_number_of_queries(client, volunteer):
    _grow_disputes(50)
    login(client, volunteer)
    client.get("/disputes/?page=2")  # warms the caches of the user and the session

    def run(count):
        _grow_disputes(count)
        return count_queries(lambda: client.get("/disputes/?page=2"))

    small = run(1)  # one on page 2
    assert run(12) == small  # thirteen on page 2


@pytest.mark.parametrize(
    "language,heading", [("lv", "Vadīšana"), ("ru", "Ведение"), ("uk", "Ведення")]
)
def test_host_pages_speak_the_interface_language(client, language, heading):
    host = VolunteerFactory(interface_language=language)
    html = login(client, host).get("/host/").content.decode()
    assert f"<h1>{heading}</h1>" in html
    html = client.get("/reports/participation/").content.decode()
    assert {
        "lv": "Jūs nevarat atvērt šo lapu",
        "ru": "Вам нельзя",
        "uk": "Вам не можна",
    }[language] in html


def test_after_the_start_the_topic_still_changes_but_not_the_time(client, club):
    session = started(SessionFactory(club=club, topic="Vecā tēma"))
    host = club.hosts.get()
    login(client, host)

    def form(**changes):
        local = {
            "starts_at": timezone.localtime(session.starts_at, host.zone),
            "ends_at": timezone.localtime(session.ends_at, host.zone),
        }
        data = {
            **{k: v.strftime("%Y-%m-%dT%H:%M") for k, v in local.items()},
            "topic": session.topic,
            "level": session.level,
            "capacity": str(session.capacity),
            "address": session.address,
        }
        return {**data, **changes}

    response = client.post(
        f"/host/sessions/{session.pk}/edit/", form(topic="Jaunā tēma")
    )
    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).topic == "Jaunā tēma"
    html = client.post(
        f"/host/sessions/{session.pk}/edit/", form(capacity="9")
    ).content.decode()
    assert "This session has already started or is over." in html
    assert Session.objects.get(pk=session.pk).capacity == session.capacity


def test_a_reading_answer_shows_the_chosen_options_text(client, volunteer, newcomer):
    from exercises import kinds

    LatvianProfileFactory()
    exercise = ExerciseFactory(kind="reading")
    first = kinds.question_options(exercise, 0)
    chosen = next(o for o in first if o["text"] == "visu martu")
    attempt = Attempt.objects.create(
        user=newcomer,
        exercise=exercise,
        answer=[chosen["id"], "mājas pārvaldniekam", "x"],
        verdict="incorrect",
        client_attempt_id="00000000-0000-4000-8000-000000000099",
        answered_at=timezone.now(),
    )
    Dispute.objects.create(attempt=attempt, user=newcomer)
    html = login(client, volunteer).get("/disputes/").content.decode()
    assert "visu martu · mājas pārvaldniekam" in html
    assert "no 3. līdz 5. martam" in html  # accepted


@pytest.mark.parametrize(
    "path",
    [
        "/host/",
        "/host/clubs/new/",
        "/disputes/",
        "/reports/participation/",
    ],
)
def test_host_pages_have_no_inline_script_or_style(client, staff, path):
    response = login(client, staff).get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html and " style=" not in html
    assert "<script>" not in html and " onclick=" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_host_invites_a_co_host_by_e_mail(client, club, volunteer, newcomer):
    anna = VolunteerFactory(display_name="Anna", email="anna@example.org")
    login(client, volunteer)
    url = f"/host/clubs/{club.pk}/cohosts/"
    html = client.post(url, {"email": newcomer.email}, follow=True).content.decode()
    assert "Only approved volunteers can co-host a club." in html
    html = client.post(url, {"email": ""}, follow=True).content.decode()
    assert "Type the volunteer" in html
    assert not CoHostInvitation.objects.exists()
    html = client.post(url, {"email": "ANNA@example.org"}, follow=True).content.decode()
    assert "Anna is invited; they host once they accept." in html
    assert "anna@example.org" not in html  # the name, never the address
    invitation = CoHostInvitation.objects.get()
    assert (invitation.invitee, invitation.status) == (anna, "pending")
    html = client.post(url, {"email": anna.email}, follow=True).content.decode()
    assert "This person has already been invited." in html
    login(client, VolunteerFactory())
    assert client.post(url, {"email": anna.email}).status_code == 403


def test_the_invitee_gets_an_e_mail_from_the_web_form(
    client, club, volunteer, mailoutbox, django_capture_on_commit_callbacks
):
    VolunteerFactory(
        display_name="Anna", email="anna@example.org", interface_language="lv"
    )
    login(client, volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/host/clubs/{club.pk}/cohosts/", {"email": "anna@example.org"})
    [message] = mailoutbox
    assert message.to == ["anna@example.org"]
    assert f"Jānis aicina jūs kopā vadīt klubu „{club.name}”." in message.body
    assert "/host/" in message.body
