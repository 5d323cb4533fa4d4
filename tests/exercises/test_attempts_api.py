import json
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from exercises.models import Attempt, ReviewCard
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _task(client, exercise) -> dict:
    return client.get(f"/api/v1/exercises/{exercise.pk}/").json()["task"]


def _option(task, text):
    return next(o["id"] for o in task["options"] if o["text"] == text)


def _pairs(task, pairing: dict[str, str]) -> list[list[str]]:
    left = {item["text"]: item["id"] for item in task["left"]}
    right = {item["text"]: item["id"] for item in task["right"]}
    return [[left[a], right[b]] for a, b in pairing.items()]


RIGHT_PAIRS = {"maize": "bread", "piens": "milk", "sāls": "salt"}
CROSSED_PAIRS = {"maize": "milk", "piens": "bread", "sāls": "salt"}

# kind, answer (a function of the rendered task), verdict, feedback codes
CASES = [
    ("choice", lambda t: _option(t, "maizi"), "correct", []),
    ("choice", lambda t: _option(t, "maize"), "incorrect", ["wrong_option"]),
    ("cloze", lambda t: ["pērku", "sāli"], "correct", []),
    ("cloze", lambda t: ["perku", "sāli"], "almost", ["diacritics"]),
    ("cloze", lambda t: ["pērku", "cukuru"], "incorrect", ["wrong_answer"]),
    # sāls is a real word, another form of sāli: not a slip.
    ("cloze", lambda t: ["pērku", "sāls"], "incorrect", ["wrong_form"]),
    ("cloze", lambda t: ["pērku", ""], "incorrect", ["wrong_answer"]),
    ("translate", lambda t: "es gribu mācīties.", "correct", []),
    ("translate", lambda t: "Es gribu macities", "almost", ["diacritics"]),
    ("translate", lambda t: "Es gribu mācītes", "almost", ["typo"]),
    ("translate", lambda t: "gribu es mācīties", "incorrect", ["word_order"]),
    ("translate", lambda t: "Es gribu ēst", "incorrect", ["wrong_answer"]),
    ("order", lambda t: ["Es", "dzīvoju", "Rīgā"], "correct", []),
    ("order", lambda t: ["Rīgā", "es", "dzīvoju"], "correct", []),
    ("order", lambda t: ["dzīvoju", "Es", "Rīgā"], "incorrect", ["word_order"]),
    ("match", lambda t: _pairs(t, RIGHT_PAIRS), "correct", []),
    ("match", lambda t: _pairs(t, CROSSED_PAIRS), "incorrect", ["wrong_pairs"]),
]


@pytest.mark.parametrize(("kind", "make_answer", "verdict", "codes"), CASES)
def test_answer_each_kind(
    api_client_for, newcomer, exercise_of, answer, kind, make_answer, verdict, codes
):
    exercise = exercise_of(kind)
    client = api_client_for(newcomer)
    response = answer(client, exercise, make_answer(_task(client, exercise)))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["verdict"] == verdict
    assert [item["code"] for item in body["feedback"]] == codes
    assert all(item["message"] for item in body["feedback"])
    assert body["correct_answer"] is not None
    assert body["explanation"] == "Because."
    assert parse_datetime(body["next_review_at"]) > timezone.now() - timedelta(
        seconds=5
    )
    attempt = Attempt.objects.get(pk=body["id"])
    assert (attempt.user, attempt.verdict) == (newcomer, verdict)
    assert ReviewCard.objects.get(user=newcomer, exercise=exercise).reviews == 1


def test_correct_answer_per_kind(api_client_for, newcomer, exercise_of, answer):
    client = api_client_for(newcomer)
    expected = {
        "cloze": ["pērku", "sāli"],
        "translate": "Es gribu mācīties",
        "order": "Es dzīvoju Rīgā",
    }
    wrong = {"cloze": ["x", "y"], "translate": "x", "order": ["x"]}
    for kind, value in expected.items():
        body = answer(client, exercise_of(kind), wrong[kind]).json()
        assert body["correct_answer"] == value
    choice = exercise_of("choice")
    task = _task(client, choice)
    body = answer(client, choice, _option(task, "maize")).json()
    assert body["correct_answer"] == {"id": _option(task, "maizi"), "text": "maizi"}
    match = exercise_of("match")
    task = _task(client, match)
    body = answer(client, match, _pairs(task, CROSSED_PAIRS)).json()
    assert body["correct_answer"] == [
        {"left": left, "right": right} for left, right in _pairs(task, RIGHT_PAIRS)
    ]


def test_feedback_message_follows_my_language(api_client_for, newcomer, exercise_of):
    newcomer.interface_language = "lv"
    newcomer.save()
    exercise = exercise_of("translate")
    response = api_client_for(newcomer).post(
        f"/api/v1/exercises/{exercise.pk}/attempts/",
        {"answer": "Es gribu macities", "client_attempt_id": str(uuid.uuid4())},
    )
    (item,) = response.json()["feedback"]
    assert item["letters"] == [{"from": "a", "to": "ā"}, {"from": "i", "to": "ī"}]
    assert "a → ā, i → ī" in item["message"]


@pytest.mark.parametrize(
    ("language", "words"),
    [("uk", "Зверніть увагу"), ("ru", "Обратите внимание"), ("lv", "Uzmanību")],
)
def test_feedback_is_translated(
    api_client_for, newcomer, exercise_of, answer, language, words
):
    newcomer.interface_language = language
    newcomer.save()
    body = answer(api_client_for(newcomer), exercise_of("translate"), "Gribu macities")
    assert words in body.json()["feedback"][0]["message"]


def test_same_client_attempt_id_records_one_attempt(
    api_client_for, newcomer, exercise_of
):
    exercise = exercise_of("translate")
    client = api_client_for(newcomer)
    body = {"answer": "Gribu mācīties", "client_attempt_id": str(uuid.uuid4())}
    url = f"/api/v1/exercises/{exercise.pk}/attempts/"
    first = client.post(url, body)
    again = client.post(url, {**body, "answer": "something else"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Attempt.objects.count() == 1
    assert ReviewCard.objects.get().reviews == 1


def test_client_attempt_id_is_per_user(api_client_for, newcomer, stranger, exercise_of):
    exercise = exercise_of("translate")
    body = {"answer": "Gribu mācīties", "client_attempt_id": str(uuid.uuid4())}
    url = f"/api/v1/exercises/{exercise.pk}/attempts/"
    assert api_client_for(newcomer).post(url, body).status_code == 201
    assert api_client_for(stranger).post(url, body).status_code == 201
    assert Attempt.objects.count() == 2


def test_client_attempt_id_reused_for_another_exercise_is_409(
    api_client_for, newcomer, exercise_of
):
    first, second = exercise_of("translate"), exercise_of("translate")
    client = api_client_for(newcomer)
    body = {"answer": "Gribu mācīties", "client_attempt_id": str(uuid.uuid4())}
    client.post(f"/api/v1/exercises/{first.pk}/attempts/", body)
    response = client.post(f"/api/v1/exercises/{second.pk}/attempts/", body)
    assert response.status_code == 409
    assert response.json()["code"] == "client_attempt_id_reused"
    assert Attempt.objects.count() == 1


HUGE = "ā" * 10_001

MALFORMED = [
    ("choice", "not-an-id"),
    ("choice", 0),
    ("choice", ["maizi"]),
    ("choice", {"id": "x"}),
    ("cloze", "pērku"),
    ("cloze", ["pērku"]),
    ("cloze", ["pērku", "sāli", "extra"]),
    ("cloze", ["pērku", 7]),
    ("cloze", ["pērku", HUGE]),
    ("translate", ["Es", "gribu"]),
    ("translate", 12),
    ("translate", {"text": "x"}),
    ("translate", HUGE),
    ("translate", "Es gribu\x00 mācīties"),
    ("translate", "\ud800"),
    ("cloze", ["pērku", "s\x00"]),
    ("order", "Es dzīvoju Rīgā"),
    ("order", []),
    # Nothing typed at all is not an attempt.
    ("translate", ""),
    ("translate", "   \t "),
    ("translate", " ... "),
    ("cloze", ["", " "]),
    ("order", [" ", ""]),
    ("order", [1, 2, 3]),
    ("order", ["x"] * 51),
    ("order", [HUGE]),
    ("match", "maize=bread"),
    ("match", [["a", "b"]]),
    ("match", [[1, 2], [3, 4], [5, 6]]),
    ("match", []),
]


@pytest.mark.parametrize(("kind", "value"), MALFORMED)
def test_malformed_answer_is_400_and_records_nothing(
    api_client_for, newcomer, exercise_of, answer, kind, value
):
    exercise = exercise_of(kind)
    response = answer(api_client_for(newcomer), exercise, value)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_answer"
    assert "answer" in body["fields"]
    assert not Attempt.objects.exists()
    assert not ReviewCard.objects.exists()


def test_match_answer_must_use_each_item_once(
    api_client_for, newcomer, exercise_of, answer
):
    exercise = exercise_of("match")
    client = api_client_for(newcomer)
    task = _task(client, exercise)
    pairs = _pairs(task, RIGHT_PAIRS)
    twice = [pairs[0], [pairs[1][0], pairs[0][1]], pairs[2]]
    assert answer(client, exercise, twice).status_code == 400
    assert answer(client, exercise, pairs[:2]).status_code == 400
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answer": "x"}, "client_attempt_id"),
        ({"answer": "x", "client_attempt_id": "not-a-uuid"}, "client_attempt_id"),
        ({"client_attempt_id": str(uuid.uuid4())}, "answer"),
        ({"answer": None, "client_attempt_id": str(uuid.uuid4())}, "answer"),
        (
            {"answer": "x", "client_attempt_id": str(uuid.uuid4()), "answered_at": "x"},
            "answered_at",
        ),
        (
            {"answer": "x", "client_attempt_id": str(uuid.uuid4()), "duration_ms": -1},
            "duration_ms",
        ),
        (
            {
                "answer": "x",
                "client_attempt_id": str(uuid.uuid4()),
                "duration_ms": 10**12,
            },
            "duration_ms",
        ),
    ],
)
def test_bad_attempt_body_is_400(api_client_for, newcomer, exercise_of, body, field):
    exercise = exercise_of("translate")
    response = api_client_for(newcomer).post(
        f"/api/v1/exercises/{exercise.pk}/attempts/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Attempt.objects.exists()


def test_answered_at_in_the_future_is_refused(
    api_client_for, newcomer, exercise_of, answer
):
    exercise = exercise_of("translate")
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    response = answer(api_client_for(newcomer), exercise, "x", answered_at=later)
    assert response.status_code == 400
    assert response.json()["code"] == "answered_at_in_future"
    assert not Attempt.objects.exists()


def test_a_fast_phone_clock_is_clamped_to_now(
    api_client_for, newcomer, exercise_of, answer
):
    exercise = exercise_of("translate")
    soon = (timezone.now() + timedelta(minutes=2)).isoformat()
    response = answer(api_client_for(newcomer), exercise, "x", answered_at=soon)
    assert response.status_code == 201
    assert Attempt.objects.get().answered_at <= timezone.now()


def test_answered_at_too_long_ago_is_refused(
    api_client_for, newcomer, exercise_of, answer
):
    exercise = exercise_of("translate")
    old = (timezone.now() - timedelta(days=31)).isoformat()
    response = answer(api_client_for(newcomer), exercise, "x", answered_at=old)
    assert response.status_code == 400
    assert response.json()["code"] == "answered_at_too_old"


def test_answered_at_before_the_account_existed_is_refused(
    api_client_for, exercise_of, answer
):
    """A user created today cannot claim practice from three days ago."""
    joined = timezone.now()
    user = UserFactory(date_joined=joined)
    client = api_client_for(user)
    exercise = exercise_of("translate")
    for days in (3, 2, 1):
        at = (joined - timedelta(days=days)).isoformat()
        response = answer(client, exercise, "Gribu mācīties", answered_at=at)
        assert response.status_code == 400
        assert response.json()["code"] == "answered_at_before_account"
        assert "answered_at" in response.json()["fields"]
    assert not Attempt.objects.exists()
    # A clock a minute slow is clamped to the creation time.
    slow = (joined - timedelta(minutes=1)).isoformat()
    assert (
        answer(client, exercise, "Gribu mācīties", answered_at=slow).status_code == 201
    )
    assert Attempt.objects.get().answered_at == user.date_joined
    progress = client.get("/api/v1/progress/", {"language": "lv"}).json()
    assert progress["streak_days"] == 1


def test_offline_attempts_are_applied_in_time_order(
    api_client_for, newcomer, stranger, exercise_of, answer
):
    """An older offline attempt arriving late gives the same card as if it had
    arrived in order."""
    exercise = exercise_of("translate")
    now = timezone.now()
    moments = [
        ((now - timedelta(days=6)).isoformat(), "Gribu mācīties"),
        ((now - timedelta(days=3)).isoformat(), "Es gribu ēst"),
        ((now - timedelta(hours=1)).isoformat(), "Gribu mācīties"),
    ]
    in_order = api_client_for(newcomer)
    for at, text in moments:
        assert answer(in_order, exercise, text, answered_at=at).status_code == 201
    late = api_client_for(stranger)
    for at, text in [moments[2], moments[0], moments[1]]:
        assert answer(late, exercise, text, answered_at=at).status_code == 201

    ordered = ReviewCard.objects.get(user=newcomer)
    replayed = ReviewCard.objects.get(user=stranger)
    assert replayed.reviews == ordered.reviews == 3
    assert replayed.due_at == ordered.due_at
    assert replayed.last_review_at == ordered.last_review_at
    assert {k: v for k, v in replayed.state.items() if k != "card_id"} == {
        k: v for k, v in ordered.state.items() if k != "card_id"
    }


def test_verdicts_move_the_card_differently(api_client_for, exercise_of, answer):
    from tests.factories import UserFactory

    exercise = exercise_of("translate")
    due = {}
    for text, verdict, code in [
        ("Gribu mācīties", "correct", None),
        ("Gribu macities", "almost", "diacritics"),
        ("Gribu ēst", "incorrect", "wrong_answer"),
        ("Gribu mācīt", "incorrect", "wrong_form"),  # a real form: not a pass
    ]:
        user = UserFactory()
        body = answer(api_client_for(user), exercise, text).json()
        assert body["verdict"] == verdict
        assert [item["code"] for item in body["feedback"]][:1] == (
            [code] if code else []
        )
        card = ReviewCard.objects.get(user=user)
        due[code] = round(
            (card.due_at - parse_datetime(body["answered_at"])).total_seconds()
        )
    assert due["wrong_form"] == due["wrong_answer"] < due["diacritics"] <= due[None]


def test_wrong_form_message_names_the_form_and_explains(
    api_client_for, newcomer, exercise_of, answer
):
    exercise = exercise_of(
        "cloze", explanation={"en": "The object of pirkt is in the accusative."}
    )
    body = answer(api_client_for(newcomer), exercise, ["pērku", "Sāls"]).json()
    (item,) = body["feedback"]
    assert (item["code"], item["given"], item["expected"]) == (
        "wrong_form",
        "Sāls",
        "sāli",
    )
    assert item["message"] == (
        "Blank 2: Right word, wrong form: you wrote “Sāls”, here it is “sāli”. "
        "The object of pirkt is in the accusative."
    )


def test_another_users_attempt_is_invisible(
    api_client_for, newcomer, stranger, exercise_of, answer
):
    exercise = exercise_of("translate")
    attempt_id = answer(api_client_for(newcomer), exercise, "x").json()["id"]
    other = api_client_for(stranger)
    assert other.get(f"/api/v1/attempts/{attempt_id}/").status_code == 404
    assert other.get("/api/v1/attempts/").json()["results"] == []
    mine = api_client_for(newcomer).get(f"/api/v1/attempts/{attempt_id}/")
    assert mine.status_code == 200
    assert mine.json()["answer"] == "x"


def test_inactive_exercise_cannot_be_answered(
    api_client_for, newcomer, exercise_of, answer
):
    exercise = exercise_of("translate", is_active=False)
    assert answer(api_client_for(newcomer), exercise, "x").status_code == 404


def test_attempt_list_query_count_is_fixed(
    api_client_for, newcomer, latvian, answer, exercise_of
):
    client = api_client_for(newcomer)

    def add(count):
        for _ in range(count):
            answer(client, exercise_of("translate"), "Gribu mācīties")

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/attempts/?page_size=100")
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    add(5)
    small, count = measure()
    assert count == 5
    add(25)
    large, count = measure()
    assert (large, count) == (small, 30)


def test_attempt_list_shows_each_next_review_like_the_single_attempt(
    api_client_for, newcomer, stranger, answer, exercise_of
):
    client = api_client_for(newcomer)
    answered = [
        answer(client, exercise_of("translate"), "Es gribu mācīties").json()
        for _ in range(3)
    ]
    # Someone else's card for the same exercise must not leak into my list.
    answer(api_client_for(stranger), exercise_of("translate"), "x")
    listed = {a["id"]: a for a in client.get("/api/v1/attempts/").json()["results"]}
    for attempt in answered:
        single = client.get(f"/api/v1/attempts/{attempt['id']}/").json()
        assert single["next_review_at"] is not None
        assert listed[attempt["id"]]["next_review_at"] == single["next_review_at"]


def _statements(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split(" ", 1)[0].upper() not in {"BEGIN", "COMMIT", "SAVEPOINT"}
        and not q["sql"].upper().startswith("RELEASE SAVEPOINT")
    ]


def test_posting_an_attempt_takes_at_most_eight_queries(
    api_client_for, newcomer, exercise_of, answer
):
    client = api_client_for(newcomer)
    exercise = exercise_of("translate")
    assert answer(client, exercise, "Gribu mācīties").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = answer(client, exercise, "Gribu mācīties", duration_ms=1000)
    assert response.status_code == 201
    assert response.json()["dispute"] is None
    # session, user, exercise, language profile, insert, card read + write, day
    assert len(_statements(queries)) <= 8, _statements(queries)


def test_retry_of_a_stored_attempt_after_its_exercise_retired_returns_it(
    api_client_for, newcomer, exercise_of
):
    client = api_client_for(newcomer)
    exercise = exercise_of("translate")
    body = json.dumps(
        {"answer": "Gribu mācīties", "client_attempt_id": str(uuid.uuid4())}
    )
    url = f"/api/v1/exercises/{exercise.pk}/attempts/"
    first = client.post(url, body, content_type="application/json")
    exercise.is_active = False
    exercise.save(update_fields=["is_active"])
    again = client.post(url, body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
