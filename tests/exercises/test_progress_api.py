import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exercises.models import Attempt
from exercises.selectors import progress_get
from exercises.services.attempts import practice_day_record
from exercises.services.disputes import dispute_create, dispute_decide
from tests.exercises.factories import TopicFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/progress/"


def _ago(**delta) -> str:
    return (timezone.now() - timedelta(**delta)).isoformat()


@pytest.mark.usefixtures("riga_midday")
def test_progress_per_level_and_topic(api_client_for, newcomer, exercise_of, answer):
    shopping = TopicFactory(slug="shopping", position=2)
    greetings = TopicFactory(slug="greetings", position=1)
    a1 = [exercise_of("translate", level="A1", topic=shopping) for _ in range(3)]
    a2 = exercise_of("translate", level="A2", topic=greetings)
    exercise_of("translate", level="A2", topic=shopping)
    client = api_client_for(newcomer)

    # Twice right an hour apart: FSRS graduates the card, so it is known.
    answer(client, a1[0], "Gribu mācīties", answered_at=_ago(hours=3), duration_ms=4000)
    answer(client, a1[0], "Gribu mācīties", answered_at=_ago(hours=2), duration_ms=6000)
    answer(client, a1[1], "Gribu macities", answered_at=_ago(hours=1))  # almost
    answer(client, a1[2], "Es gribu ēst", duration_ms=1000)  # incorrect
    answer(client, a2, "Gribu mācīties")

    response = client.get(URL + "?language=lv")
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "lv"
    assert body["level"] == "A2"
    assert body["streak_days"] == 1
    assert body["practice_time_ms"] == 11000
    assert body["totals"] == {
        "exercises": 5,
        "attempted": 4,
        "attempts": 5,
        "correct": 3,
        "accuracy": 0.6,
        # The "almost" one an hour ago had a few minutes' learning step: due.
        # The incorrect and the correct one just now come back in 1 and 10 min.
        "due": 1,
        "known": 1,
        "practice_time_ms": 11000,
    }
    a1_row, a2_row = body["levels"]
    assert a1_row["level"] == "A1"
    assert (a1_row["attempted"], a1_row["attempts"], a1_row["correct"]) == (3, 4, 2)
    assert a1_row["accuracy"] == 0.5
    assert a1_row["known"] == 1
    assert [(t["topic"], t["name"]) for t in a1_row["topics"]] == [
        ("shopping", "Shopping")
    ]
    assert [t["topic"] for t in a2_row["topics"]] == ["greetings", "shopping"]
    untouched = a2_row["topics"][1]
    assert (untouched["exercises"], untouched["attempts"]) == (1, 0)
    assert untouched["accuracy"] is None


def test_due_counts_cards_due_now(newcomer, exercise_of):
    exercise = exercise_of("translate")
    Attempt.objects.create(
        user=newcomer,
        exercise=exercise,
        answer="x",
        verdict="incorrect",
        client_attempt_id=uuid.uuid4(),
        answered_at=timezone.now() - timedelta(days=2),
    )
    from exercises.services.scheduling import review_cards_add

    review_cards_add(user=newcomer, exercises=[exercise_of()])
    progress = progress_get(user=newcomer, language="lv", now=timezone.now())
    assert progress["totals"]["due"] == 1  # the added card; no card for the ORM one


def test_another_users_progress_is_not_mine(
    api_client_for, newcomer, stranger, exercise_of, answer
):
    answer(api_client_for(newcomer), exercise_of("translate"), "Gribu mācīties")
    body = api_client_for(stranger).get(URL + "?language=lv").json()
    assert body["totals"]["attempts"] == 0
    assert body["streak_days"] == 0


@pytest.mark.parametrize("query", ["?language=Z9", "?language=lat"])
def test_bad_progress_query_is_400(api_client_for, newcomer, query):
    assert api_client_for(newcomer).get(URL + query).status_code == 400


def test_anonymous_has_no_progress(api_client):
    assert api_client.get(URL).status_code == 401


def _attempt(user, exercise, at: datetime) -> None:
    # What attempt_create stores, at a fixed moment (it refuses old ones).
    Attempt.objects.create(
        user=user,
        exercise=exercise,
        answer="x",
        verdict="correct",
        client_attempt_id=uuid.uuid4(),
        answered_at=at,
    )
    practice_day_record(user=user, language=exercise.language, at=at)


NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moments", "streak"),
    [
        ([], 0),
        ([NOW], 1),
        ([NOW - timedelta(days=1)], 1),  # yesterday: the streak is still alive
        ([NOW - timedelta(days=2)], 0),
        ([NOW, NOW - timedelta(days=1), NOW - timedelta(days=2)], 3),
        ([NOW, NOW - timedelta(days=1), NOW - timedelta(days=3)], 2),
        ([NOW - timedelta(days=d) for d in range(1, 11)], 10),
    ],
)
def test_streak_counts_consecutive_days(newcomer, exercise_of, moments, streak):
    exercise = exercise_of("translate")
    for moment in moments:
        _attempt(newcomer, exercise, moment)
    assert progress_get(user=newcomer, language="lv", now=NOW)["streak_days"] == streak


@pytest.mark.parametrize(
    ("time_zone", "streak"), [("Europe/Riga", 1), ("America/New_York", 2)]
)
def test_streak_days_are_in_my_time_zone(newcomer, exercise_of, time_zone, streak):
    # 22:30 and 21:30 UTC next day: one Riga day (00:30 and 23:30 on the 9th),
    # two New York days (the 8th and the 9th).
    newcomer.time_zone = time_zone
    exercise = exercise_of("translate")
    _attempt(newcomer, exercise, datetime(2026, 3, 8, 22, 30, tzinfo=UTC))
    _attempt(newcomer, exercise, datetime(2026, 3, 9, 21, 30, tzinfo=UTC))
    assert progress_get(user=newcomer, language="lv", now=NOW)["streak_days"] == streak


def test_progress_query_count_is_fixed(api_client_for, newcomer, exercise_of, answer):
    client = api_client_for(newcomer)

    def add(count):
        for index in range(count):
            exercise = exercise_of(
                "translate", level=["A1", "A2", "B1"][index % 3], topic=TopicFactory()
            )
            answer(client, exercise, "Gribu mācīties", duration_ms=1000)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        return len(queries), response.json()["totals"]["attempts"]

    add(5)
    small, attempts = measure()
    assert attempts == 5
    add(25)
    assert measure() == (small, 30)


@pytest.mark.usefixtures("riga_midday")
def test_progress_totals_follow_offline_and_regraded_attempts(
    api_client_for, newcomer, staff, exercise_of, answer
):
    client = api_client_for(newcomer)
    exercise = exercise_of("translate")
    wrong = answer(client, exercise, "Nepareizi", duration_ms=3000).json()
    # Answered offline before the first one: the card is replayed.
    answer(
        client, exercise, "Gribu mācīties", duration_ms=2000, answered_at=_ago(hours=2)
    )
    totals = client.get(URL).json()["totals"]
    assert (totals["attempts"], totals["correct"]) == (2, 1)
    assert totals["practice_time_ms"] == 5000

    dispute = dispute_create(user=newcomer, attempt_id=wrong["id"])
    dispute_decide(dispute_id=dispute.pk, judge=staff, accept=True)

    totals = client.get(URL).json()["totals"]
    assert (totals["attempts"], totals["correct"]) == (2, 2)
    assert totals["practice_time_ms"] == 5000
    assert client.get(URL).json()["streak_days"] == 1


@pytest.mark.usefixtures("riga_midday")
def test_progress_queries_do_not_grow_with_attempts_or_days(
    api_client_for, newcomer, exercise_of, answer
):
    client = api_client_for(newcomer)
    exercise = exercise_of("translate")

    def measure() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return [query["sql"] for query in queries.captured_queries]

    answer(client, exercise, "Gribu mācīties")
    small = measure()
    for days in range(1, 20):
        answer(client, exercise, "Gribu mācīties", answered_at=_ago(days=days))
    large = measure()

    assert len(large) == len(small) <= 7
    # Nothing reads the attempts table: totals are on the cards, days apart.
    assert not [sql for sql in large if Attempt._meta.db_table + '"' in sql]
    assert client.get(URL).json()["streak_days"] == 20
