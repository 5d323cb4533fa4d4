import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.exercises.factories import ExerciseFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_topics_are_listed_in_my_language(api_client_for, newcomer):
    TopicFactory(slug="shopping", name={"en": "Shopping", "uk": "Покупки"}, position=1)
    TopicFactory(slug="greetings", name={"en": "Greetings"}, position=0)
    newcomer.interface_language = "uk"
    newcomer.save()
    response = api_client_for(newcomer).get("/api/v1/topics/")
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"slug": "greetings", "name": "Greetings"},
        {"slug": "shopping", "name": "Покупки"},
    ]


def test_anonymous_cannot_list_exercises(api_client, exercise_of):
    exercise_of("choice")
    response = api_client.get("/api/v1/exercises/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("query", "expected_keys"),
    [
        ("", ["a1-choice", "a1-cloze", "a2-order", "b1-match", "pl-a1"]),
        ("?language=lv", ["a1-choice", "a1-cloze", "a2-order", "b1-match"]),
        ("?language=lv&level=A1", ["a1-choice", "a1-cloze"]),
        ("?language=lv&level=A1&kind=cloze", ["a1-cloze"]),
        ("?topic=greetings", ["b1-match"]),
        ("?level=C2", []),
    ],
)
def test_exercise_filters(api_client_for, newcomer, latvian, query, expected_keys):
    ExerciseFactory(key="a1-choice", level="A1", kind="choice")
    ExerciseFactory(key="a1-cloze", level="A1", kind="cloze")
    ExerciseFactory(key="a2-order", level="A2", kind="order")
    ExerciseFactory(
        key="b1-match", level="B1", kind="match", topic=TopicFactory(slug="greetings")
    )
    ExerciseFactory(key="pl-a1", language="pl", kind="choice")
    ExerciseFactory(key="hidden", is_active=False)
    response = api_client_for(newcomer).get(f"/api/v1/exercises/{query}")
    assert response.status_code == 200
    assert sorted(item["key"] for item in response.json()["results"]) == expected_keys


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?level=Z9", "level"),
        ("?kind=essay", "kind"),
        ("?language=latvian", "language"),
        ("?language=LV", "language"),
        ("?topic=" + "x" * 300, "topic"),
        ("?topic=no%20spaces", "topic"),
    ],
)
def test_bad_filters_are_400(api_client_for, newcomer, query, field):
    response = api_client_for(newcomer).get(f"/api/v1/exercises/{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]


def _secrets(exercise) -> list[str]:
    payload = exercise.payload
    match exercise.kind:
        case "cloze":
            return [a for accepted in payload["blanks"] for a in accepted]
        case "translate" | "order":
            return payload["answers"]
    return []


@pytest.mark.parametrize("kind", ["choice", "cloze", "translate", "order", "match"])
def test_exercise_never_reveals_its_answers(
    api_client_for, newcomer, exercise_of, kind
):
    exercise = exercise_of(kind)
    response = api_client_for(newcomer).get(f"/api/v1/exercises/{exercise.pk}/")
    assert response.status_code == 200
    body = response.json()
    text = json.dumps(body, ensure_ascii=False)
    assert "payload" not in body and "answer" not in body["task"]
    assert "explanation" not in body
    for secret in _secrets(exercise):
        assert secret not in text


def test_render_per_kind(api_client_for, newcomer, exercise_of):
    newcomer.interface_language = "uk"
    newcomer.save()
    client = api_client_for(newcomer)

    def task(kind):
        exercise = exercise_of(kind)
        return client.get(f"/api/v1/exercises/{exercise.pk}/").json()

    choice = task("choice")
    assert choice["instructions"] == "Зробіть це."
    assert sorted(o["text"] for o in choice["task"]["options"]) == [
        "maize",
        "maizes",
        "maizi",
    ]
    assert all(len(o["id"]) == 8 for o in choice["task"]["options"])
    assert task("cloze")["task"] == {"text": "Es ___ maizi un ___.", "blanks": 2}
    assert task("translate")["task"] == {"source": "Я хочу вчитися"}
    assert task("order")["task"] == {"words": ["Rīgā", "dzīvoju", "Es"]}
    match = task("match")["task"]
    assert [item["text"] for item in match["left"]] == ["maize", "piens", "sāls"]
    assert sorted(item["text"] for item in match["right"]) == ["bread", "milk", "salt"]
    left_ids = {item["id"] for item in match["left"]}
    assert not left_ids & {item["id"] for item in match["right"]}


def test_translate_source_falls_back_to_english(api_client_for, newcomer, exercise_of):
    newcomer.interface_language = "ru"
    newcomer.save()
    exercise = exercise_of("translate")
    body = api_client_for(newcomer).get(f"/api/v1/exercises/{exercise.pk}/").json()
    assert body["task"] == {"source": "I want to learn"}
    assert body["instructions"] == "Do it."


def test_render_is_stable_between_requests(api_client_for, newcomer, exercise_of):
    exercise = exercise_of("match")
    client = api_client_for(newcomer)
    first = client.get(f"/api/v1/exercises/{exercise.pk}/").json()
    assert client.get(f"/api/v1/exercises/{exercise.pk}/").json() == first


@pytest.mark.parametrize("exercise_id", ["999999", "99999999999999999999"])
def test_unknown_or_inactive_exercise_is_404(
    api_client_for, newcomer, exercise_of, exercise_id
):
    client = api_client_for(newcomer)
    assert client.get(f"/api/v1/exercises/{exercise_id}/").status_code == 404
    hidden = exercise_of("choice", is_active=False)
    response = client.get(f"/api/v1/exercises/{hidden.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/api/v1/exercises/?page_size=100", "/api/v1/topics/"])
def test_list_query_count_does_not_grow_with_page_size(
    api_client_for, newcomer, latvian, url
):
    client = api_client_for(newcomer)
    kinds = ["choice", "cloze", "translate", "order", "match"]
    for index in range(5):
        ExerciseFactory(kind=kinds[index % 5], topic=TopicFactory())
    _count_queries(client, url)  # warms the caches of the user and the session
    small = _count_queries(client, url)
    for index in range(25):
        ExerciseFactory(kind=kinds[index % 5], topic=TopicFactory())
    assert _count_queries(client, url) == small
