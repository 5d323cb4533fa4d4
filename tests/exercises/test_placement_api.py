import pytest

from exercises.models import Exercise, PlacementTest
from exercises.services.placement import placement_result

pytestmark = pytest.mark.django_db

URL = "/api/v1/placement/"
LEVELS = ["A1", "A2", "B1", "B2"]


@pytest.fixture
def ladder(exercise_of):
    """Eight choice exercises at each of A1–B2, plus typing kinds that the test
    must not use."""
    for level in LEVELS:
        for index in range(8):
            exercise_of("choice", level=level, key=f"{level.lower()}-choice-{index}")
        exercise_of("translate", level=level)
        exercise_of("cloze", level=level)


def _option(item: dict, *, right: bool) -> str:
    exercise = Exercise.objects.get(pk=item["exercise"]["id"])
    return next(
        option["id"]
        for option in item["exercise"]["task"]["options"]
        if (option["text"] == exercise.payload["answer"]) == right
    )


def _run(client, knows_up_to: str | None) -> tuple[dict, list[str]]:
    """Take a whole test, right exactly up to ``knows_up_to``; returns the final
    body and the levels of the items shown."""
    body = client.post(URL, {"language": "lv"}).json()
    seen = []
    while body["status"] == "in_progress":
        item = body["item"]
        level = item["exercise"]["level"]
        seen.append(level)
        right = knows_up_to is not None and LEVELS.index(level) <= LEVELS.index(
            knows_up_to
        )
        response = client.post(
            f"{URL}{body['id']}/answers/",
            {"exercise": item["exercise"]["id"], "answer": _option(item, right=right)},
            format="json",
        )
        assert response.status_code == 200, response.json()
        body = response.json()
    return body, seen


@pytest.mark.parametrize(
    ("knows_up_to", "result"),
    [("B1", "B1"), ("A2", "A2"), ("A1", "A1"), (None, "A1"), ("B2", "B2")],
)
def test_placement_end_to_end(api_client_for, newcomer, ladder, knows_up_to, result):
    client = api_client_for(newcomer)
    body, seen = _run(client, knows_up_to)
    assert body["status"] == "finished"
    assert body["answered"] == len(seen) == 15
    assert body["item"] is None
    assert body["result"]["level"] == result
    assert seen[0] == "A2"  # my profile level
    newcomer.refresh_from_db()
    assert newcomer.level == result
    me = client.get("/api/v1/me/").json()
    assert me["level"] == result


def test_placement_moves_up_after_right_and_down_after_wrong(
    api_client_for, newcomer, ladder
):
    _body, seen = _run(api_client_for(newcomer), "B1")
    assert seen[:5] == ["A2", "B1", "B2", "B1", "B2"]


def test_placement_starts_at_a2_without_a_profile_level(api_client_for, ladder):
    from tests.factories import UserFactory

    body = api_client_for(UserFactory(level="")).post(URL, {}).json()
    assert body["item"]["exercise"]["level"] == "A2"


def test_placement_uses_only_unseen_untyped_items(
    api_client_for, newcomer, exercise_of, answer
):
    seen = exercise_of("choice", level="A2")
    answer(api_client_for(newcomer), seen, "not-an-option")  # 400, not recorded
    client = api_client_for(newcomer)
    task = client.get(f"/api/v1/exercises/{seen.pk}/").json()["task"]
    answer(client, seen, task["options"][0]["id"])
    fresh = [exercise_of(kind, level="A2") for kind in ("order", "match")]
    exercise_of("translate", level="A2")
    exercise_of("cloze", level="A2")
    body = client.post(URL, {"language": "lv"}).json()
    shown = set()
    while body["status"] == "in_progress":
        exercise = body["item"]["exercise"]
        shown.add(exercise["id"])
        assert exercise["kind"] in ("order", "match")
        value = (
            ["Es", "dzīvoju", "Rīgā"]
            if exercise["kind"] == "order"
            else [
                [left["id"], right["id"]]
                for left, right in zip(
                    exercise["task"]["left"], exercise["task"]["right"], strict=True
                )
            ]
        )
        body = client.post(
            f"{URL}{body['id']}/answers/",
            {"exercise": exercise["id"], "answer": value},
            format="json",
        ).json()
    # It ran out of items after the two unseen ones.
    assert shown == {e.pk for e in fresh}
    assert body["answered"] == 2


def test_resume_returns_the_running_test(api_client_for, newcomer, ladder):
    client = api_client_for(newcomer)
    first = client.post(URL, {"language": "lv"})
    again = client.post(URL, {"language": "lv"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    shown = client.get(f"{URL}{first.json()['id']}/")
    assert shown.status_code == 200
    assert shown.json() == first.json()
    assert PlacementTest.objects.count() == 1


def test_answering_another_item_is_409(api_client_for, newcomer, ladder):
    client = api_client_for(newcomer)
    body = client.post(URL, {"language": "lv"}).json()
    other = Exercise.objects.exclude(pk=body["item"]["exercise"]["id"]).first()
    response = client.post(
        f"{URL}{body['id']}/answers/", {"exercise": other.pk, "answer": "x"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_current_item"
    assert response.json()["current_exercise"] == body["item"]["exercise"]["id"]
    assert PlacementTest.objects.get().items == []


def test_a_finished_test_takes_no_answers(api_client_for, newcomer, ladder):
    client = api_client_for(newcomer)
    body, _seen = _run(client, "A2")
    response = client.post(
        f"{URL}{body['id']}/answers/", {"exercise": 1, "answer": "x"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "placement_finished"
    # A new test can start once the old one is finished.
    assert client.post(URL, {"language": "lv"}).status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {"answer": "x"},
        {"exercise": "one", "answer": "x"},
        {"exercise": -1, "answer": "x"},
        {"exercise": None, "answer": "x"},
    ],
)
def test_bad_placement_answer_is_400(api_client_for, newcomer, ladder, body):
    client = api_client_for(newcomer)
    test_id = client.post(URL, {"language": "lv"}).json()["id"]
    response = client.post(f"{URL}{test_id}/answers/", body, format="json")
    assert response.status_code == 400
    assert PlacementTest.objects.get().items == []


def test_malformed_answer_to_the_current_item_is_400(api_client_for, newcomer, ladder):
    client = api_client_for(newcomer)
    body = client.post(URL, {"language": "lv"}).json()
    response = client.post(
        f"{URL}{body['id']}/answers/",
        {"exercise": body["item"]["exercise"]["id"], "answer": ["x"] * 10_000},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_answer"
    assert PlacementTest.objects.get().items == []


def test_another_users_test_is_invisible(api_client_for, newcomer, stranger, ladder):
    body = api_client_for(newcomer).post(URL, {"language": "lv"}).json()
    other = api_client_for(stranger)
    assert other.get(f"{URL}{body['id']}/").status_code == 404
    response = other.post(
        f"{URL}{body['id']}/answers/",
        {"exercise": body["item"]["exercise"]["id"], "answer": "x"},
    )
    assert response.status_code == 404


def test_no_content_is_409_and_creates_nothing(api_client_for, newcomer):
    response = api_client_for(newcomer).post(URL, {"language": "pl"})
    assert response.status_code == 409
    assert response.json()["code"] == "no_placement_content"
    assert not PlacementTest.objects.exists()


@pytest.mark.parametrize("language", ["xyz", "PL", 7])
def test_bad_placement_language_is_400(api_client_for, newcomer, language):
    response = api_client_for(newcomer).post(URL, {"language": language}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("items", "level"),
    [
        ([], "A1"),
        ([("A2", True)], "A1"),  # one answer is not enough
        ([("A2", True), ("B1", True), ("B2", False), ("B1", True)], "B1"),
        ([("A2", True), ("A2", False)], "A1"),  # half is not a majority
        ([("A2", True), ("A2", True), ("B1", True), ("B1", True)], "B1"),
    ],
)
def test_result_rule(items, level):
    answered = [{"level": lvl, "right": right} for lvl, right in items]
    assert placement_result(answered)[0] == level
