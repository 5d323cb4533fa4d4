from datetime import timedelta

import pytest
from django.utils import timezone

from clubs.models import Feedback, Registration
from exercises.models import ReviewCard
from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory
from tests.exercises.factories import ExerciseFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(volunteer):
    """A session that began 10 minutes ago, hosted by the volunteer."""
    starts = timezone.now() - timedelta(minutes=10)
    return SessionFactory(
        club=ClubFactory(hosts=[volunteer]),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
    )


def url(session, tail: str) -> str:
    return f"/api/v1/sessions/{session.pk}/{tail}"


# --- Attendance marked by the host -----------------------------------------------


def test_host_marks_attended_and_the_pack_goes_to_review(
    client_for, volunteer, newcomer, started
):
    pack = ExerciseFactory.create_batch(3)
    started.exercises.set(pack)
    RegistrationFactory(session=started, user=newcomer)

    response = client_for(volunteer).post(
        url(started, "attendance/"), {"user": newcomer.pk, "status": "attended"}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "attended"
    assert response.json()["user"] == {"id": newcomer.pk, "display_name": "Olena"}
    cards = ReviewCard.objects.filter(user=newcomer)
    assert {c.exercise_id for c in cards} == {e.pk for e in pack}
    assert all(c.due_at <= timezone.now() for c in cards)


def test_no_show_gets_no_review_cards_and_leaves_the_room(
    client_for, volunteer, newcomer, started, revoked
):
    started.exercises.set(ExerciseFactory.create_batch(2))
    RegistrationFactory(session=started, user=newcomer)

    response = client_for(volunteer).post(
        url(started, "attendance/"), {"user": newcomer.pk, "status": "no_show"}
    )

    assert response.status_code == 200
    assert not ReviewCard.objects.filter(user=newcomer).exists()
    assert revoked == [(started.pk, newcomer.pk)]


def test_marking_attended_keeps_room_access(
    client_for, volunteer, newcomer, started, revoked
):
    RegistrationFactory(session=started, user=newcomer)
    client_for(volunteer).post(
        url(started, "attendance/"), {"user": newcomer.pk, "status": "attended"}
    )
    assert revoked == []


def test_a_waitlisted_person_who_came_leaves_the_waitlist(
    client_for, volunteer, started
):
    waiting = [
        RegistrationFactory(
            session=started, status="waitlisted", waitlist_position=position
        )
        for position in (1, 2, 3)
    ]
    client_for(volunteer).post(
        url(started, "attendance/"), {"user": waiting[0].user_id, "status": "attended"}
    )
    positions = [Registration.objects.get(pk=r.pk).waitlist_position for r in waiting]
    assert positions == [None, 1, 2]


def test_attendance_before_the_start_is_refused(client_for, volunteer, newcomer):
    session = SessionFactory(club=ClubFactory(hosts=[volunteer]))
    RegistrationFactory(session=session, user=newcomer)

    response = client_for(volunteer).post(
        url(session, "attendance/"), {"user": newcomer.pk, "status": "attended"}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "session_not_started"
    assert Registration.objects.get(user=newcomer).status == "confirmed"


def test_attendance_for_someone_not_signed_up_is_404(
    client_for, volunteer, stranger, started
):
    RegistrationFactory(session=started, user=stranger, status="cancelled")
    response = client_for(volunteer).post(
        url(started, "attendance/"), {"user": stranger.pk, "status": "attended"}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_registered"


@pytest.mark.parametrize(
    "body",
    [
        {"user": 1, "status": "present"},
        {"user": 1, "status": "confirmed"},
        {"user": "me", "status": "attended"},
        {"user": -4, "status": "attended"},
        {"user": 10**30, "status": "attended"},
        {"status": "attended"},
        {},
    ],
)
def test_bad_attendance_input_is_400(client_for, volunteer, started, body):
    response = client_for(volunteer).post(url(started, "attendance/"), body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("who", ["newcomer", "stranger", "pending_volunteer"])
def test_only_hosts_mark_attendance(client_for, request, started, who):
    user = request.getfixturevalue(who)
    RegistrationFactory(session=started, user=user)
    response = client_for(user).post(
        url(started, "attendance/"), {"user": user.pk, "status": "attended"}
    )
    assert response.status_code == 403
    assert Registration.objects.get(user=user).status == "confirmed"


def test_host_of_another_club_cannot_mark_attendance(client_for, newcomer, started):
    other_host = UserFactory(volunteer_status="approved")
    ClubFactory(hosts=[other_host])
    RegistrationFactory(session=started, user=newcomer)
    response = client_for(other_host).post(
        url(started, "attendance/"), {"user": newcomer.pk, "status": "attended"}
    )
    assert response.status_code == 403


def test_staff_marks_attendance(client_for, staff, newcomer, started):
    RegistrationFactory(session=started, user=newcomer)
    response = client_for(staff).post(
        url(started, "attendance/"), {"user": newcomer.pk, "status": "attended"}
    )
    assert response.status_code == 200


# --- Check-in ------------------------------------------------------------------


def test_host_checks_in_with_the_participants_code(
    client_for, volunteer, newcomer, started
):
    started.exercises.set([ExerciseFactory()])
    registration = RegistrationFactory(session=started, user=newcomer)

    response = client_for(volunteer).post(
        url(started, "check-in/"), {"code": registration.check_in_code.lower()}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "attended"
    assert ReviewCard.objects.filter(user=newcomer).count() == 1


def test_participant_checks_in_with_the_session_code(client_for, newcomer, started):
    RegistrationFactory(session=started, user=newcomer)
    response = client_for(newcomer).post(
        url(started, "check-in/"), {"code": f" {started.check_in_code} "}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "attended"


def test_participant_cannot_use_someone_elses_code(
    client_for, newcomer, stranger, started
):
    RegistrationFactory(session=started, user=newcomer)
    other = RegistrationFactory(session=started, user=stranger)

    response = client_for(newcomer).post(
        url(started, "check-in/"), {"code": other.check_in_code}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "wrong_check_in_code"
    assert Registration.objects.get(pk=other.pk).status == "confirmed"


def test_wrong_code_from_host_is_400(client_for, volunteer, started):
    RegistrationFactory(session=started)
    response = client_for(volunteer).post(url(started, "check-in/"), {"code": "ZZZZZZ"})
    assert response.status_code == 400
    assert response.json()["code"] == "wrong_check_in_code"


def test_check_in_before_the_start_is_refused(client_for, newcomer):
    session = SessionFactory()
    RegistrationFactory(session=session, user=newcomer)
    response = client_for(newcomer).post(
        url(session, "check-in/"), {"code": session.check_in_code}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "session_not_started"


def test_self_check_in_closes_after_the_session(client_for, newcomer):
    starts = timezone.now() - timedelta(hours=3)
    session = SessionFactory(starts_at=starts, ends_at=starts + timedelta(hours=1))
    RegistrationFactory(session=session, user=newcomer)
    response = client_for(newcomer).post(
        url(session, "check-in/"), {"code": session.check_in_code}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "check_in_closed"


def test_check_in_without_sign_up_is_404(client_for, stranger, started):
    response = client_for(stranger).post(
        url(started, "check-in/"), {"code": started.check_in_code}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_registered"


@pytest.mark.parametrize("body", [{}, {"code": ""}, {"code": "x" * 1000}, {"code": 5}])
def test_bad_check_in_input(client_for, newcomer, started, body):
    RegistrationFactory(session=started, user=newcomer)
    response = client_for(newcomer).post(url(started, "check-in/"), body)
    assert response.status_code == 400
    assert Registration.objects.get(user=newcomer).status == "confirmed"


# --- Feedback ------------------------------------------------------------------


def test_attendee_leaves_and_then_changes_feedback(client_for, newcomer, started):
    RegistrationFactory(session=started, user=newcomer, status="attended")
    client = client_for(newcomer)

    first = client.post(url(started, "feedback/"), {"rating": 4, "comment": "Labi!"})
    second = client.post(url(started, "feedback/"), {"rating": 5})

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["rating"] == 5
    assert Feedback.objects.get().rating == 5


@pytest.mark.parametrize("status", ["confirmed", "waitlisted", "no_show", None])
def test_only_attendees_leave_feedback(client_for, newcomer, started, status):
    if status:
        RegistrationFactory(
            session=started,
            user=newcomer,
            status=status,
            waitlist_position=1 if status == "waitlisted" else None,
        )
    response = client_for(newcomer).post(url(started, "feedback/"), {"rating": 5})
    assert response.status_code == 403
    assert response.json()["code"] == "not_attended"
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"rating": 0},
        {"rating": 6},
        {"rating": -1},
        {"rating": "great"},
        {},
        {"rating": 3, "comment": "x" * 2001},
    ],
)
def test_bad_feedback_is_400(client_for, newcomer, started, body):
    RegistrationFactory(session=started, user=newcomer, status="attended")
    response = client_for(newcomer).post(url(started, "feedback/"), body)
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_hosts_see_average_and_comments_without_authors(client_for, volunteer, started):
    for rating, comment in [(5, "Super"), (4, ""), (2, "Par ātru")]:
        registration = RegistrationFactory(session=started, status="attended")
        Feedback.objects.create(
            session=started, user=registration.user, rating=rating, comment=comment
        )

    response = client_for(volunteer).get(url(started, "feedback/"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["average"] == pytest.approx(3.67)
    assert sorted(c["comment"] for c in body["comments"]) == ["Par ātru", "Super"]
    assert set(body["comments"][0]) == {"rating", "comment", "created_at"}


@pytest.mark.parametrize("who", ["newcomer", "stranger"])
def test_participants_cannot_read_feedback(client_for, request, started, who):
    user = request.getfixturevalue(who)
    RegistrationFactory(session=started, user=user, status="attended")
    assert client_for(user).get(url(started, "feedback/")).status_code == 403
