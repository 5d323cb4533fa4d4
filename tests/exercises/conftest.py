import json
import uuid

import pytest

from tests.exercises.factories import ExerciseFactory, LatvianProfileFactory


@pytest.fixture
def latvian(db):
    return LatvianProfileFactory()


@pytest.fixture
def exercise_of(latvian):
    """exercise_of("cloze", level="A2") → an active Latvian exercise."""

    def make(kind: str = "choice", **fields):
        return ExerciseFactory(kind=kind, **fields)

    return make


@pytest.fixture
def answer(api_client_for):
    """answer(client, exercise, value, **extra) → the HTTP response."""

    def post(client, exercise, value, **extra):
        body = {"answer": value, "client_attempt_id": str(uuid.uuid4()), **extra}
        # json.dumps escapes everything, so even a lone surrogate gets through.
        return client.post(
            f"/api/v1/exercises/{exercise.pk}/attempts/",
            json.dumps(body),
            content_type="application/json",
        )

    return post
