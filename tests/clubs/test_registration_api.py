from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from clubs.models import Registration
from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def reg_url(session) -> str:
    return f"/api/v1/sessions/{session.pk}/registration/"


def positions(session) -> list[tuple[str, int]]:
    return list(
        session.registrations.filter(status=Registration.Status.WAITLISTED)
        .order_by("waitlist_position")
        .values_list("user__email", "waitlist_position")
    )


def test_sign_up_gets_a_place(client_for, newcomer, session):
    response = client_for(newcomer).post(reg_url(session))

    assert response.status_code == 201
    assert response.json() == {"status": "confirmed", "waitlist_position": None}
    registration = Registration.objects.get(session=session, user=newcomer)
    assert len(registration.check_in_code) == 6
    assert registration.confirmed_at is not None


def test_full_session_puts_people_on_the_waitlist_in_arrival_order(client_for, session):
    people = UserFactory.create_batch(5)
    answers = [client_for(p).post(reg_url(session)).json() for p in people]

    assert answers == [
        {"status": "confirmed", "waitlist_position": None},
        {"status": "confirmed", "waitlist_position": None},
        {"status": "waitlisted", "waitlist_position": 1},
        {"status": "waitlisted", "waitlist_position": 2},
        {"status": "waitlisted", "waitlist_position": 3},
    ]


def test_cancelling_promotes_the_first_waitlisted_and_tells_them(
    client_for, session, revoked
):
    first, second, w1, w2, w3 = UserFactory.create_batch(5, interface_language="lv")
    for person in (first, second, w1, w2, w3):
        client_for(person).post(reg_url(session))

    response = client_for(first).delete(reg_url(session))

    assert response.status_code == 204
    assert Registration.objects.get(session=session, user=w1).status == "confirmed"
    assert positions(session) == [(w2.email, 1), (w3.email, 2)]
    [message] = mail.outbox
    assert message.to == [w1.email]
    assert message.attachments[0][0].endswith(".ics")
    assert revoked == [(session.pk, first.pk)]


def test_leaving_the_waitlist_moves_those_behind_up(client_for, session, revoked):
    people = UserFactory.create_batch(6)
    for person in people:
        client_for(person).post(reg_url(session))

    client_for(people[3]).delete(reg_url(session))  # position 2

    assert positions(session) == [
        (people[2].email, 1),
        (people[4].email, 2),
        (people[5].email, 3),
    ]
    assert mail.outbox == []
    assert revoked == []  # a waitlisted person was never in the room


def test_signing_up_again_after_cancelling_goes_to_the_end(client_for, session):
    people = UserFactory.create_batch(4)
    for person in people:
        client_for(person).post(reg_url(session))
    client_for(people[2]).delete(reg_url(session))

    again = client_for(people[2]).post(reg_url(session))

    assert again.json() == {"status": "waitlisted", "waitlist_position": 2}
    assert session.registrations.filter(user=people[2]).count() == 2


def test_check_in_codes_are_unique_in_a_session(client_for):
    session = SessionFactory(capacity=40)
    for person in UserFactory.create_batch(30):
        client_for(person).post(reg_url(session))
    codes = list(session.registrations.values_list("check_in_code", flat=True))
    assert len(set(codes)) == len(codes) == 30


REFUSALS = [
    ("already_registered", 409),
    ("session_cancelled", 409),
    ("session_started", 409),
    ("session_over", 409),
    ("time_conflict", 409),
    ("host", 409),
]


@pytest.mark.parametrize(("case", "status"), REFUSALS)
def test_sign_up_refusals(client_for, newcomer, volunteer, session, case, status):
    user = newcomer
    expected_code = case
    if case == "already_registered":
        RegistrationFactory(session=session, user=newcomer)
    elif case == "session_cancelled":
        session.status = "cancelled"
        session.save()
    elif case in ("session_started", "session_over"):
        offset = (
            timedelta(minutes=-5) if case == "session_started" else timedelta(days=-3)
        )
        session.starts_at = timezone.now() + offset
        session.ends_at = session.starts_at + timedelta(hours=1)
        session.save()
        expected_code = "session_started"
    elif case == "time_conflict":
        other = SessionFactory(
            club=ClubFactory(),
            starts_at=session.starts_at + timedelta(minutes=30),
        )
        RegistrationFactory(
            session=other,
            user=newcomer,
            status=Registration.Status.WAITLISTED,
            waitlist_position=1,
        )
    elif case == "host":
        user = volunteer
        expected_code = "host_cannot_register"
    before = Registration.objects.count()

    response = client_for(user).post(reg_url(session))

    assert response.status_code == status, response.json()
    assert response.json()["code"] == expected_code
    assert Registration.objects.count() == before


def test_time_conflict_names_the_other_session(client_for, newcomer, session):
    other = SessionFactory(starts_at=session.starts_at - timedelta(minutes=60))
    RegistrationFactory(session=other, user=newcomer)
    body = client_for(newcomer).post(reg_url(session)).json()
    assert body["conflicting_session"] == other.pk


@pytest.mark.parametrize(
    "other_status", ["cancelled", "attended", "no_show"], ids=lambda s: s
)
def test_no_conflict_with_sessions_i_left(client_for, newcomer, session, other_status):
    other = SessionFactory(starts_at=session.starts_at)
    RegistrationFactory(session=other, user=newcomer, status=other_status)
    assert client_for(newcomer).post(reg_url(session)).status_code == 201


def test_no_conflict_with_a_cancelled_session(client_for, newcomer, session):
    other = SessionFactory(starts_at=session.starts_at, status="cancelled")
    RegistrationFactory(session=other, user=newcomer)
    assert client_for(newcomer).post(reg_url(session)).status_code == 201


def test_back_to_back_sessions_do_not_conflict(client_for, newcomer, session):
    other = SessionFactory(starts_at=session.ends_at)
    RegistrationFactory(session=other, user=newcomer)
    assert client_for(newcomer).post(reg_url(session)).status_code == 201


def test_cancelling_without_a_registration_is_404(client_for, newcomer, session):
    response = client_for(newcomer).delete(reg_url(session))
    assert response.status_code == 404
    assert response.json()["code"] == "not_registered"


def test_cannot_cancel_after_the_start(client_for, newcomer):
    session = SessionFactory(starts_at=timezone.now() - timedelta(minutes=5))
    RegistrationFactory(session=session, user=newcomer)
    response = client_for(newcomer).delete(reg_url(session))
    assert response.status_code == 409
    assert response.json()["code"] == "session_started"


@pytest.mark.parametrize("mark", ["attended", "no_show"])
def test_cancelling_after_being_marked_is_too_late(client_for, newcomer, mark):
    session = SessionFactory(starts_at=timezone.now() - timedelta(minutes=5))
    RegistrationFactory(session=session, user=newcomer)
    host = session.club.hosts.first()
    marked = client_for(host).post(
        f"/api/v1/sessions/{session.pk}/attendance/",
        {"user": newcomer.pk, "status": mark},
    )
    assert marked.status_code == 200, marked.json()
    response = client_for(newcomer).delete(reg_url(session))
    assert response.status_code == 409
    assert response.json()["code"] == "session_started"
    assert session.registrations.get(user=newcomer).status == mark


def test_unknown_session_is_404(client_for, newcomer):
    response = client_for(newcomer).post("/api/v1/sessions/987654/registration/")
    assert response.status_code == 404


def test_anonymous_cannot_sign_up(api_client, session):
    assert api_client.post(reg_url(session)).status_code == 401
    assert not Registration.objects.exists()


def test_staff_may_sign_up_and_keeps_room_access_on_cancel(
    client_for, session, revoked
):
    staff = StaffFactory()
    client_for(staff).post(reg_url(session))
    client_for(staff).delete(reg_url(session))
    assert revoked == []  # staff may be in every room


def test_participants_list_for_hosts_without_emails(client_for, volunteer, session):
    people = UserFactory.create_batch(3, level="A2")
    for person in people:
        client_for(person).post(reg_url(session))
    client_for(people[0]).delete(reg_url(session))

    response = client_for(volunteer).get(f"/api/v1/sessions/{session.pk}/participants/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["user"]["id"], r["status"], r["waitlist_position"]) for r in rows] == [
        (people[1].pk, "confirmed", None),
        (people[2].pk, "confirmed", None),
    ]
    assert rows[0]["level"] == "A2"
    text = response.content.decode()
    assert all(p.email not in text for p in people)
    assert "check_in_code" not in text


@pytest.mark.parametrize("who", ["newcomer", "stranger", "pending_volunteer"])
def test_participants_are_hidden_from_non_hosts(client_for, request, session, who):
    user = request.getfixturevalue(who)
    RegistrationFactory(session=session, user=user)
    response = client_for(user).get(f"/api/v1/sessions/{session.pk}/participants/")
    assert response.status_code == 403


def test_participants_filter_is_validated(client_for, volunteer, session):
    response = client_for(volunteer).get(
        f"/api/v1/sessions/{session.pk}/participants/?status=vip"
    )
    assert response.status_code == 400
