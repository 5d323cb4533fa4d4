from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clubs.models import Registration, Session
from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/sessions/"


def url(session, tail: str = "") -> str:
    return f"{SESSIONS}{session.pk}/{tail}"


def soon(**kwargs) -> timezone.datetime:
    return (timezone.now() + timedelta(**kwargs)).replace(microsecond=0)


# --- List ---------------------------------------------------------------------


def test_list_shows_sessions_not_yet_ended_soonest_first(client_for, newcomer, club):
    later = SessionFactory(club=club, starts_at=soon(days=9))
    sooner = SessionFactory(club=club, starts_at=soon(days=2))
    ongoing = SessionFactory(club=club, starts_at=soon(minutes=-30))
    SessionFactory(club=club, starts_at=soon(days=-7))  # over

    response = client_for(newcomer).get(SESSIONS)

    assert response.status_code == 200
    assert [s["id"] for s in response.json()["results"]] == [
        ongoing.pk,
        sooner.pk,
        later.pk,
    ]


def test_list_item_shape(client_for, newcomer, session):
    [item] = client_for(newcomer).get(SESSIONS).json()["results"]
    assert item["id"] == item["room_id"] == session.pk
    assert item["club"] == session.club_id
    assert item["places_left"] == 2
    assert item["my_registration"] is None
    assert item["online"] is False
    assert item["online_url"] is None
    assert item["session_check_in_code"] is None
    assert item["status"] == "scheduled"
    assert item["starts_at"].endswith("Z")  # UTC, like WebSocket frames


def test_list_filters(client_for, newcomer):
    riga_a2 = SessionFactory(club=ClubFactory(city="riga"), level="A2")
    online = SessionFactory(
        club=ClubFactory(city="riga", online=True),
        level="B1",
        address="",
        online_url="https://meet.example.org/b1",
    )
    english = SessionFactory(club=ClubFactory(language="en", city="liepaja"))
    full = SessionFactory(club=ClubFactory(), capacity=1, level="C1")
    RegistrationFactory(session=full)
    far = SessionFactory(club=ClubFactory(), starts_at=soon(days=40), level="C2")
    client = client_for(newcomer)

    def ids(query: str) -> set[int]:
        response = client.get(SESSIONS + query)
        assert response.status_code == 200, response.json()
        return {s["id"] for s in response.json()["results"]}

    assert ids("?language=en") == {english.pk}
    assert ids("?level=A2&city=riga") == {riga_a2.pk}
    assert ids("?online=true") == {online.pk}
    assert online.pk not in ids("?online=false")
    assert full.pk not in ids("?has_space=true")
    assert ids("?has_space=false") == {full.pk}
    assert ids(f"?club={far.club_id}") == {far.pk}
    to = (timezone.now() + timedelta(days=30)).date().isoformat()
    assert far.pk not in ids(f"?to={to}")
    from_ = (timezone.now() + timedelta(days=30)).date().isoformat()
    assert ids(f"?from={from_}") == {far.pk}


def test_list_from_shows_past_sessions(client_for, newcomer, club):
    past = SessionFactory(club=club, starts_at=soon(days=-7))
    from_ = (timezone.now() - timedelta(days=8)).isoformat()
    response = client_for(newcomer).get(SESSIONS, {"from": from_})
    assert past.pk in [s["id"] for s in response.json()["results"]]


def test_mine_lists_my_sessions(client_for, newcomer, club):
    mine = SessionFactory(club=club)
    SessionFactory(club=club, starts_at=soon(days=3))
    RegistrationFactory(session=mine, user=newcomer)
    response = client_for(newcomer).get(SESSIONS + "?mine=true")
    assert [s["id"] for s in response.json()["results"]] == [mine.pk]


def test_mine_and_has_space_filters_agree_with_what_each_session_shows(
    client_for, newcomer
):
    """The filters are SQL conditions, what a session shows is read for the
    page (clubs.session_states): the two must pick the same sessions."""
    confirmed, waitlisted, withdrawn, full, cancelled, started, plain = (
        SessionFactory(capacity=2) for _ in range(7)
    )
    hosted = SessionFactory(club=ClubFactory(hosts=[newcomer]))
    RegistrationFactory(session=confirmed, user=newcomer)
    RegistrationFactory(
        session=waitlisted, user=newcomer, status="waitlisted", waitlist_position=1
    )
    RegistrationFactory(session=withdrawn, user=newcomer, status="cancelled")
    RegistrationFactory(session=full)
    RegistrationFactory(session=full, status="attended")
    RegistrationFactory(session=full, status="waitlisted", waitlist_position=1)
    Session.objects.filter(pk=cancelled.pk).update(status=Session.Status.CANCELLED)
    Session.objects.filter(pk=started.pk).update(
        starts_at=soon(minutes=-10), ends_at=soon(minutes=50)
    )
    client = client_for(newcomer)

    def listed(query: str = "") -> dict[int, dict]:
        response = client.get(SESSIONS + "?page_size=100" + query)
        assert response.status_code == 200, response.json()
        return {s["id"]: s for s in response.json()["results"]}

    shown = listed()
    assert len(shown) == 8
    assert (
        set(listed("&mine=true"))
        == {pk for pk, s in shown.items() if s["my_registration"] or s["is_host"]}
        == {confirmed.pk, waitlisted.pk, hosted.pk}
    )
    now = timezone.now()
    assert (
        set(listed("&has_space=true"))
        == {
            pk
            for pk, s in shown.items()
            if s["places_left"] > 0
            and s["status"] == "scheduled"
            and parse_datetime(s["starts_at"]) > now
        }
        == {confirmed.pk, waitlisted.pk, withdrawn.pk, plain.pk, hosted.pk}
    )
    assert (
        set(listed("&has_space=false"))
        == {pk for pk, s in shown.items() if s["places_left"] == 0}
        == {full.pk, cancelled.pk}
    )
    assert shown[full.pk]["places_left"] == 0
    assert shown[confirmed.pk]["places_left"] == 1
    assert shown[waitlisted.pk]["my_registration"]["status"] == "waitlisted"
    assert shown[withdrawn.pk]["my_registration"] is None
    assert shown[hosted.pk]["is_host"] is True


@pytest.mark.parametrize(
    "query",
    [
        "?level=A7",
        "?online=perhaps",
        "?has_space=2",
        "?from=yesterday",
        "?to=2026-13-45",
        "?club=-1",
        "?club=abc",
        f"?club={10**30}",
        "?language=" + "x" * 5000,
        "?status=paused",
        "?from=2027-01-02&to=2027-01-01",
        "?page=0",
    ],
)
def test_bad_list_filters_are_400(client_for, newcomer, query):
    response = client_for(newcomer).get(SESSIONS + query)
    assert response.status_code in (400, 404), response.content
    assert response.json()["code"] in ("invalid", "not_found")


def test_list_query_count_does_not_grow_with_sessions(client_for, newcomer):
    """Same queries for 3 and 25 sessions: auth, count, page, exercise pack."""
    client = client_for(newcomer)

    def add_sessions(first: int, last: int) -> None:
        for index in range(first, last):
            session = SessionFactory(
                club=ClubFactory(), starts_at=soon(days=1, hours=index), capacity=3
            )
            RegistrationFactory(session=session)
            if index % 2:
                RegistrationFactory(session=session, user=newcomer)

    def measure(expected: int) -> int:
        client.get(SESSIONS)  # warm up anything cached per process
        with CaptureQueriesContext(connection) as queries:
            response = client.get(SESSIONS, {"page_size": 100})
        assert response.status_code == 200
        results = response.json()["results"]
        assert len(results) == expected
        mine = [s for s in results if s["my_registration"]]
        assert len(mine) == expected // 2
        assert all(s["places_left"] == 1 for s in mine)
        return len(queries)

    add_sessions(0, 3)
    few = measure(3)
    add_sessions(3, 25)
    many = measure(25)

    assert few == many
    assert many <= 6  # 3 for authentication without a cache, 3 for the list


# --- Detail: who sees what ------------------------------------------------------


@pytest.fixture
def online_session(club):
    return SessionFactory(
        club=club, capacity=1, address="", online_url="https://meet.example.org/x"
    )


def test_confirmed_participant_sees_online_link_and_own_code(
    client_for, newcomer, online_session
):
    registration = RegistrationFactory(session=online_session, user=newcomer)
    body = client_for(newcomer).get(url(online_session)).json()

    assert body["online_url"] == "https://meet.example.org/x"
    assert body["my_registration"] == {
        "status": "confirmed",
        "waitlist_position": None,
        "check_in_code": registration.check_in_code,
    }
    assert body["places_left"] == 0
    assert body["session_check_in_code"] is None


def test_waitlisted_person_does_not_see_online_link(
    client_for, newcomer, stranger, online_session
):
    RegistrationFactory(session=online_session, user=stranger)
    RegistrationFactory(
        session=online_session,
        user=newcomer,
        status=Registration.Status.WAITLISTED,
        waitlist_position=1,
    )
    body = client_for(newcomer).get(url(online_session)).json()

    assert body["online"] is True
    assert body["online_url"] is None
    assert body["my_registration"]["status"] == "waitlisted"
    assert body["my_registration"]["waitlist_position"] == 1


def test_others_see_neither_link_nor_anybodys_code(
    client_for, newcomer, stranger, online_session
):
    registration = RegistrationFactory(session=online_session, user=newcomer)
    response = client_for(stranger).get(url(online_session))
    body = response.json()

    assert body["online_url"] is None
    assert body["my_registration"] is None
    assert registration.check_in_code not in response.content.decode()
    assert online_session.check_in_code not in response.content.decode()


@pytest.mark.parametrize("who", ["volunteer", "staff"])
def test_hosts_and_staff_see_link_and_session_code(
    client_for, request, online_session, who
):
    body = client_for(request.getfixturevalue(who)).get(url(online_session)).json()
    assert body["online_url"] == "https://meet.example.org/x"
    assert body["session_check_in_code"] == online_session.check_in_code


def test_unknown_session_is_404(client_for, newcomer):
    response = client_for(newcomer).get(f"{SESSIONS}424242/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- Create ----------------------------------------------------------------------


def create_url(club) -> str:
    return f"/api/v1/clubs/{club.pk}/sessions/"


def test_host_adds_a_session(client_for, volunteer, club):
    starts = soon(days=3)
    response = client_for(volunteer).post(
        create_url(club),
        {"starts_at": starts.isoformat(), "topic": "Tirgū", "capacity": 6},
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    session = Session.objects.get(pk=body["id"])
    assert session.starts_at == starts
    assert session.ends_at == starts + timedelta(minutes=club.duration_minutes)
    assert (body["topic"], body["capacity"], body["level"]) == ("Tirgū", 6, "A1")
    assert body["address"] == club.address


@pytest.mark.parametrize("who", ["newcomer", "pending_volunteer", "stranger"])
def test_non_hosts_cannot_add_sessions(client_for, request, club, who):
    response = client_for(request.getfixturevalue(who)).post(
        create_url(club), {"starts_at": soon(days=3).isoformat()}
    )
    assert response.status_code == 403
    assert not Session.objects.exists()


def test_host_of_club_a_cannot_add_sessions_to_club_b(client_for, volunteer, club):
    other = ClubFactory()
    response = client_for(volunteer).post(
        create_url(other), {"starts_at": soon(days=3).isoformat()}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_host"


SESSION_BAD_INPUT = [
    (lambda: {"starts_at": soon(days=-1).isoformat()}, "starts_at"),
    (
        lambda: {
            "starts_at": soon(days=3).isoformat(),
            "ends_at": soon(days=3, minutes=-10).isoformat(),
        },
        "ends_at",
    ),
    (
        lambda: {
            "starts_at": soon(days=3).isoformat(),
            "ends_at": soon(days=3).isoformat(),
        },
        "ends_at",
    ),
    (
        lambda: {
            "starts_at": soon(days=3).isoformat(),
            "ends_at": soon(days=5).isoformat(),
        },
        "ends_at",
    ),
    (lambda: {"starts_at": soon(days=3).isoformat(), "capacity": 0}, "capacity"),
    (lambda: {"starts_at": soon(days=3).isoformat(), "capacity": -5}, "capacity"),
    (lambda: {"starts_at": soon(days=3).isoformat(), "level": "D1"}, "level"),
    (lambda: {"starts_at": soon(days=3).isoformat(), "topic": "x" * 5000}, "topic"),
    (lambda: {"starts_at": "next wednesday"}, "starts_at"),
    (lambda: {"starts_at": "2026-02-30T18:00:00Z"}, "starts_at"),
    (lambda: {}, "starts_at"),
    (
        lambda: {"starts_at": soon(days=3).isoformat(), "online_url": "ftp://x.lv"},
        "online_url",
    ),
    (
        lambda: {"starts_at": soon(days=3).isoformat(), "exercises": [999999]},
        "exercises",
    ),
    (
        lambda: {"starts_at": soon(days=3).isoformat(), "exercises": [-1]},
        "exercises.0",
    ),
    (
        lambda: {
            "starts_at": soon(days=3).isoformat(),
            "address": "",
            "online_url": "",
        },
        "address",
    ),
]


@pytest.mark.parametrize(("make", "field"), SESSION_BAD_INPUT)
def test_bad_session_input_is_400(client_for, volunteer, club, make, field):
    response = client_for(volunteer).post(create_url(club), make(), format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not Session.objects.exists()


def test_two_sessions_at_the_same_start_conflict(client_for, volunteer, club):
    existing = SessionFactory(club=club)
    response = client_for(volunteer).post(
        create_url(club), {"starts_at": existing.starts_at.isoformat()}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "session_exists"


# --- Change ----------------------------------------------------------------------


def test_host_changes_topic_and_nobody_is_emailed(client_for, volunteer, session):
    RegistrationFactory(session=session)
    response = client_for(volunteer).patch(url(session), {"topic": "Darbs"})

    assert response.status_code == 200
    assert response.json()["topic"] == "Darbs"
    assert mail.outbox == []


def test_changing_the_time_tells_everyone_signed_up(client_for, volunteer, session):
    confirmed = RegistrationFactory(session=session)
    RegistrationFactory(session=session, status=Registration.Status.CANCELLED)
    new_start = session.starts_at + timedelta(hours=1)
    response = client_for(volunteer).patch(
        url(session),
        {
            "starts_at": new_start.isoformat(),
            "ends_at": (new_start + timedelta(hours=1)).isoformat(),
        },
    )

    assert response.status_code == 200, response.json()
    session.refresh_from_db()
    assert session.sequence == 1
    assert [m.to for m in mail.outbox] == [[confirmed.user.email]]
    assert mail.outbox[0].attachments[0][2].startswith("text/calendar")


def test_moving_the_start_alone_keeps_the_length(client_for, volunteer, session):
    new_start = session.starts_at + timedelta(days=1)
    response = client_for(volunteer).patch(
        url(session), {"starts_at": new_start.isoformat()}
    )
    assert response.status_code == 200, response.json()
    session.refresh_from_db()
    assert session.ends_at - session.starts_at == timedelta(minutes=90)


def test_capacity_increase_promotes_waitlist_in_order(client_for, volunteer, session):
    RegistrationFactory.create_batch(2, session=session)
    first, second, third = (
        RegistrationFactory(
            session=session,
            status=Registration.Status.WAITLISTED,
            waitlist_position=position,
        )
        for position in (1, 2, 3)
    )
    response = client_for(volunteer).patch(url(session), {"capacity": 4})

    assert response.status_code == 200
    for registration in (first, second, third):
        registration.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "confirmed")
    assert (third.status, third.waitlist_position) == ("waitlisted", 1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [first.user.email, second.user.email]
    )


def test_capacity_decrease_keeps_confirmed_people(client_for, volunteer, session):
    people = RegistrationFactory.create_batch(2, session=session)
    response = client_for(volunteer).patch(url(session), {"capacity": 1})

    assert response.status_code == 200
    assert response.json()["places_left"] == 0
    assert all(Registration.objects.get(pk=r.pk).status == "confirmed" for r in people)
    newcomer_response = client_for(UserFactory()).post(url(session, "registration/"))
    assert newcomer_response.json()["status"] == "waitlisted"


def test_started_session_keeps_its_time_but_topic_may_change(client_for, volunteer):
    session = SessionFactory(starts_at=soon(minutes=-10), club__hosts=[volunteer])
    client = client_for(volunteer)

    moved = client.patch(url(session), {"capacity": 20})
    assert moved.status_code == 409
    assert moved.json()["code"] == "session_started"
    assert client.patch(url(session), {"topic": "Kas notika"}).status_code == 200


@pytest.mark.parametrize("who", ["newcomer", "stranger"])
def test_non_hosts_cannot_change_a_session(client_for, request, session, who):
    response = client_for(request.getfixturevalue(who)).patch(
        url(session), {"topic": "Mine"}
    )
    assert response.status_code == 403


def test_patch_with_end_before_start_is_400(client_for, volunteer, session):
    response = client_for(volunteer).patch(
        url(session), {"ends_at": (session.starts_at - timedelta(hours=1)).isoformat()}
    )
    assert response.status_code == 400
    assert "ends_at" in response.json()["fields"]


# --- Cancel ----------------------------------------------------------------------


def test_cancel_tells_everyone_in_their_language_and_closes_rooms(
    client_for, volunteer, session, revoked
):
    latvian = RegistrationFactory(
        session=session, user=UserFactory(interface_language="lv")
    )
    waiting = RegistrationFactory(
        session=session,
        status=Registration.Status.WAITLISTED,
        waitlist_position=1,
        user=UserFactory(interface_language="uk"),
    )
    RegistrationFactory(session=session, status=Registration.Status.CANCELLED)

    response = client_for(volunteer).post(
        url(session, "cancel/"), {"reason": "Bibliotēka slēgta"}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "Bibliotēka slēgta"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [latvian.user.email, waiting.user.email]
    )
    assert all("Bibliotēka slēgta" in m.body for m in mail.outbox)
    assert sorted(revoked) == sorted(
        [(session.pk, latvian.user_id), (session.pk, waiting.user_id)]
    )


def test_cancelling_twice_is_409(client_for, volunteer, session):
    client = client_for(volunteer)
    client.post(url(session, "cancel/"), {"reason": "Slimība"})
    response = client.post(url(session, "cancel/"), {"reason": "Slimība"})
    assert response.status_code == 409
    assert response.json()["code"] == "session_cancelled"


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "x" * 501}])
def test_cancel_needs_a_reason(client_for, volunteer, session, body):
    response = client_for(volunteer).post(url(session, "cancel/"), body)
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.status == "scheduled"


@pytest.mark.parametrize("who", ["newcomer", "stranger", "pending_volunteer"])
def test_non_hosts_cannot_cancel(client_for, request, session, who):
    response = client_for(request.getfixturevalue(who)).post(
        url(session, "cancel/"), {"reason": "Nope"}
    )
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_cancelled_session_cannot_be_changed(client_for, volunteer, session):
    client = client_for(volunteer)
    client.post(url(session, "cancel/"), {"reason": "Slimība"})
    response = client.patch(url(session), {"topic": "Tomēr"})
    assert response.status_code == 409
    assert response.json()["code"] == "session_cancelled"
