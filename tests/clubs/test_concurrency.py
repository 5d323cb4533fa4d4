"""Sign-ups racing on PostgreSQL: places are never oversold, the waitlist keeps order.

Each thread is a real HTTP request through the API with its own database
connection, released together by a barrier.
"""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from clubs.models import Registration
from tests.clubs.factories import RegistrationFactory, SessionFactory
from tests.conftest import session_token_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def run_together(calls) -> list:
    """Run the callables in threads released at the same moment."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except Exception as error:  # surfaced by the assertions below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_X_SESSION_TOKEN=session_token_for(user))
    return api


def assert_waitlist_is_contiguous(session) -> None:
    waitlist = list(
        session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
            "waitlist_position"
        )
    )
    assert [r.waitlist_position for r in waitlist] == list(range(1, len(waitlist) + 1))
    # First come, first served: positions follow the order of arrival.
    assert [r.pk for r in waitlist] == [
        r.pk for r in sorted(waitlist, key=lambda r: (r.created_at, r.pk))
    ]


def test_twenty_simultaneous_sign_ups_for_five_places():
    session = SessionFactory(capacity=5)
    clients = [client(user) for user in UserFactory.create_batch(20)]
    url = f"/api/v1/sessions/{session.pk}/registration/"

    responses = run_together([lambda c=c: c.post(url) for c in clients])

    assert [r.status_code for r in responses] == [201] * 20, responses
    statuses = sorted(r.json()["status"] for r in responses)
    assert statuses == ["confirmed"] * 5 + ["waitlisted"] * 15
    assert sorted(
        r.json()["waitlist_position"]
        for r in responses
        if r.json()["status"] == "waitlisted"
    ) == list(range(1, 16))
    assert session.registrations.filter(status="confirmed").count() == 5
    assert_waitlist_is_contiguous(session)


def test_cancellations_sign_ups_and_a_capacity_change_at_once(volunteer):
    session = SessionFactory(capacity=5, club__hosts=[volunteer])
    confirmed = RegistrationFactory.create_batch(5, session=session)
    for position in range(1, 6):
        RegistrationFactory(
            session=session,
            status=Registration.Status.WAITLISTED,
            waitlist_position=position,
        )
    url = f"/api/v1/sessions/{session.pk}/registration/"
    calls = [lambda r=r: client(r.user).delete(url) for r in confirmed[:3]]
    newcomers = [client(user) for user in UserFactory.create_batch(4)]
    calls += [lambda c=c: c.post(url) for c in newcomers]
    host = client(volunteer)
    calls.append(
        lambda: host.patch(
            f"/api/v1/sessions/{session.pk}/", {"capacity": 7}, format="json"
        )
    )

    responses = run_together(calls)

    assert all(getattr(r, "status_code", 500) < 300 for r in responses), responses
    session.refresh_from_db()
    assert session.capacity == 7
    taken = session.registrations.filter(status="confirmed").count()
    waiting = session.registrations.filter(status="waitlisted").count()
    # 2 kept + 7 - 2 promoted or new; 12 live people in all.
    assert taken == 7
    assert taken + waiting == 5 + 5 - 3 + 4
    assert_waitlist_is_contiguous(session)


def test_one_person_racing_for_two_overlapping_sessions_gets_one(newcomer):
    first = SessionFactory()
    second = SessionFactory(starts_at=first.starts_at)
    api = client(newcomer)

    responses = run_together(
        [
            lambda: api.post(f"/api/v1/sessions/{first.pk}/registration/"),
            lambda: api.post(f"/api/v1/sessions/{second.pk}/registration/"),
        ]
    )

    assert sorted(r.status_code for r in responses) == [201, 409]
    assert Registration.objects.filter(user=newcomer).count() == 1
