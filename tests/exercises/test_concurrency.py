"""Races that only a real database with row locks can show (PostgreSQL)."""

import threading
import uuid

import pytest
from django.db import connection

from exercises.models import Attempt, PlacementTest, ReviewCard
from exercises.services.attempts import attempt_create
from tests.exercises.factories import ExerciseFactory, LatvianProfileFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _race(calls: list) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # reported by the assertions below
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_retried_attempt_racing_itself_is_recorded_once():
    LatvianProfileFactory()
    user = UserFactory()
    exercise = ExerciseFactory(kind="translate")
    client_id = uuid.uuid4()

    def post():
        return attempt_create(
            user=user,
            exercise_id=exercise.pk,
            answer="Gribu mācīties",
            client_attempt_id=client_id,
        )

    results = _race([post] * 4)
    assert all(not isinstance(result, Exception) for result in results), results
    assert sorted(created for _attempt, created in results) == [False] * 3 + [True]
    assert len({attempt.pk for attempt, _created in results}) == 1
    assert Attempt.objects.count() == 1
    assert ReviewCard.objects.get().reviews == 1


def test_simultaneous_attempts_at_one_exercise_share_one_card():
    LatvianProfileFactory()
    user = UserFactory()
    exercise = ExerciseFactory(kind="translate")

    def post():
        return attempt_create(
            user=user,
            exercise_id=exercise.pk,
            answer="Gribu mācīties",
            client_attempt_id=uuid.uuid4(),
        )

    results = _race([post] * 4)
    assert all(not isinstance(result, Exception) for result in results), results
    assert Attempt.objects.count() == 4
    assert ReviewCard.objects.get().reviews == 4


def test_ten_parallel_placement_starts_share_one_test(api_client_for):
    LatvianProfileFactory()
    for level in ("A1", "A2", "B1"):
        for index in range(3):
            ExerciseFactory(kind="choice", level=level, key=f"{level}-{index}")
    user = UserFactory()
    clients = [api_client_for(user) for _ in range(10)]

    def start(client):
        return lambda: client.post("/api/v1/placement/", {"language": "lv"})

    responses = _race([start(client) for client in clients])
    assert all(not isinstance(r, Exception) for r in responses), responses
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * 9 + [201], [r.content[:200] for r in responses]
    assert len({response.json()["id"] for response in responses}) == 1
    assert PlacementTest.objects.filter(user=user).count() == 1
