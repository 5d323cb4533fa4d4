from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exercises.models import Exercise, ReviewCard
from exercises.services import review_cards_add
from tests.exercises.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/reviews/due/"


def _card(user, exercise, *, hours_overdue: float) -> ReviewCard:
    return ReviewCard.objects.create(
        user=user,
        exercise=exercise,
        due_at=timezone.now() - timedelta(hours=hours_overdue),
        source=ReviewCard.Source.ADDED,
    )


def test_due_cards_come_most_overdue_first_then_new_ones(
    api_client_for, newcomer, stranger, exercise_of, settings
):
    settings.EXERCISES_NEW_PER_DAY = 2
    a, b, c = exercise_of(level="A1"), exercise_of(level="B1"), exercise_of()
    _card(newcomer, a, hours_overdue=1)
    _card(newcomer, b, hours_overdue=30)
    _card(newcomer, c, hours_overdue=-5)  # not due yet
    _card(stranger, exercise_of(), hours_overdue=50)  # someone else's
    _card(newcomer, exercise_of(language="pl"), hours_overdue=60)  # other language
    new_a2 = [exercise_of(level="A2", key=f"new-{i}") for i in range(3)]
    exercise_of(level="B2")  # not my level

    response = api_client_for(newcomer).get(URL + "?language=lv")
    assert response.status_code == 200
    body = response.json()
    assert body["due_total"] == 2
    assert [(i["exercise"]["id"], i["is_new"]) for i in body["results"]] == [
        (b.pk, False),
        (a.pk, False),
        (new_a2[0].pk, True),
        (new_a2[1].pk, True),
    ]
    assert body["results"][2]["due_at"] is None
    assert "payload" not in body["results"][0]["exercise"]


def test_limit_caps_the_list_due_first(api_client_for, newcomer, exercise_of):
    for hours in range(5):
        _card(newcomer, exercise_of(), hours_overdue=hours + 1)
    exercise_of(level="A2")
    body = api_client_for(newcomer).get(URL + "?limit=3").json()
    assert body["due_total"] == 5
    assert [item["is_new"] for item in body["results"]] == [False] * 3


def test_daily_quota_of_new_exercises(
    api_client_for, newcomer, exercise_of, answer, settings
):
    settings.EXERCISES_NEW_PER_DAY = 2
    exercises = [exercise_of("translate", level="A2") for _ in range(4)]
    client = api_client_for(newcomer)
    assert [i["is_new"] for i in client.get(URL).json()["results"]] == [True, True]
    answer(client, exercises[0], "Gribu mācīties")
    answer(client, exercises[1], "Gribu mācīties")
    # Both were answered correctly: learning steps bring them back in minutes,
    # and no new ones are offered until tomorrow.
    assert client.get(URL).json()["results"] == []


def test_new_exercises_follow_my_level_or_a1(api_client_for, exercise_of, latvian):
    from tests.factories import UserFactory

    a1, b1 = exercise_of(level="A1"), exercise_of(level="B1")
    unset = UserFactory(level="")
    results = api_client_for(unset).get(URL).json()["results"]
    assert [item["exercise"]["id"] for item in results] == [a1.pk]
    advanced = UserFactory(level="B1")
    results = api_client_for(advanced).get(URL).json()["results"]
    assert [item["exercise"]["id"] for item in results] == [b1.pk]


def test_language_defaults_to_my_target_language(api_client_for, newcomer, exercise_of):
    _card(newcomer, exercise_of(language="pl"), hours_overdue=1)
    newcomer.target_language = "pl"
    newcomer.save()
    assert api_client_for(newcomer).get(URL).json()["due_total"] == 1


@pytest.mark.parametrize(
    "query", ["?limit=0", "?limit=101", "?limit=-3", "?limit=x", "?language=xyz"]
)
def test_bad_due_queries_are_400(api_client_for, newcomer, query):
    response = api_client_for(newcomer).get(URL + query)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_anonymous_has_no_review_queue(api_client):
    assert api_client.get(URL).status_code == 401


def test_review_cards_add_puts_exercises_in_my_queue(
    api_client_for, newcomer, exercise_of, answer
):
    answered = exercise_of("translate", level="B2")
    client = api_client_for(newcomer)
    answer(client, answered, "Gribu mācīties")
    before = ReviewCard.objects.get(exercise=answered)
    pack = [exercise_of(level="B2"), exercise_of(level="B2"), answered]

    assert review_cards_add(user=newcomer, exercises=pack) == 2
    assert review_cards_add(user=newcomer, exercises=pack) == 0
    assert review_cards_add(user=newcomer, exercises=[]) == 0

    after = ReviewCard.objects.get(exercise=answered)
    assert (after.due_at, after.state) == (before.due_at, before.state)
    results = client.get(URL).json()["results"]
    assert {item["exercise"]["id"] for item in results} == {pack[0].pk, pack[1].pk}
    assert not any(item["is_new"] for item in results)


def test_review_cards_add_accepts_ids_and_querysets(newcomer, exercise_of):
    exercise = exercise_of()
    assert review_cards_add(user=newcomer, exercises=[exercise.pk]) == 1
    other = exercise_of(level="B2")
    queryset = Exercise.objects.filter(pk__in=[exercise.pk, other.pk])
    assert review_cards_add(user=newcomer, exercises=queryset) == 1
    ReviewCard.objects.filter(exercise=other).delete()
    card = ReviewCard.objects.get()
    assert card.source == ReviewCard.Source.ADDED
    assert card.due_at <= timezone.now()


def test_due_list_query_count_is_fixed(
    api_client_for, newcomer, exercise_of, settings, latvian
):
    settings.EXERCISES_NEW_PER_DAY = 50
    client = api_client_for(newcomer)

    def add(count):
        for _ in range(count):
            _card(newcomer, exercise_of(), hours_overdue=2)
            ExerciseFactory(level="A2")

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL + "?limit=100")
        return len(queries), len(response.json()["results"])

    add(5)
    measure()  # warms the caches of the user and the session
    small, count = measure()
    assert count == 10
    add(25)
    assert measure() == (small, 60)
