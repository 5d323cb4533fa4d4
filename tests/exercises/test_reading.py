"""The reading kind: a short text with 3–5 questions, each a choice or typed."""

import json
import uuid

import pytest

from exercises import content_format
from exercises.content_format import KIND_VALIDATORS, Invalid
from exercises.models import Attempt, Exercise

pytestmark = pytest.mark.django_db


def _task(client, exercise) -> dict:
    response = client.get(f"/api/v1/exercises/{exercise.pk}/")
    assert response.status_code == 200
    return response.json()["task"]


def _option(question: dict, text: str) -> str:
    return next(o["id"] for o in question["options"] if o["text"] == text)


def _right_answer(task: dict) -> list[str]:
    return [
        _option(task["questions"][0], "no 3. līdz 5. martam"),
        "pārvaldniekam",
        _option(task["questions"][2], "lifts"),
    ]


def test_the_text_and_questions_are_shown_without_the_answers(
    api_client_for, newcomer, exercise_of
):
    exercise = exercise_of("reading", level="A2")
    client = api_client_for(newcomer)
    body = client.get(f"/api/v1/exercises/{exercise.pk}/").json()
    task = body["task"]
    assert task["title"] == "Paziņojums iedzīvotājiem"
    assert task["text"].splitlines()[1] == "No 3. līdz 5. martam lifts nestrādās."
    assert [q["type"] for q in task["questions"]] == ["choice", "text", "choice"]
    assert task["questions"][1] == {"prompt": "Kam jāuzdod jautājumi?", "type": "text"}
    assert {o["text"] for o in task["questions"][2]["options"]} == {
        "lifts",
        "zvans",
        "apkure",
    }
    raw = json.dumps(body, ensure_ascii=False)
    assert raw.count("pārvaldniekam") == 1  # in the text, not as a key
    assert '"answer"' not in raw and '"answers"' not in raw
    assert "transcript" not in body
    listed = client.get("/api/v1/exercises/?kind=reading").json()
    assert [item["key"] for item in listed["results"]] == [exercise.key]
    assert json.dumps(listed, ensure_ascii=False).count("pārvaldniekam") == 1


def test_option_ids_differ_between_questions_and_stay_stable(
    api_client_for, newcomer, exercise_of
):
    exercise = exercise_of("reading")
    client = api_client_for(newcomer)
    first, second = _task(client, exercise), _task(client, exercise)
    assert first == second
    ids = [o["id"] for q in first["questions"] for o in q.get("options", [])]
    assert len(ids) == len(set(ids)) == 6


def test_all_right_is_correct(api_client_for, newcomer, exercise_of, answer):
    exercise = exercise_of("reading")
    client = api_client_for(newcomer)
    response = answer(client, exercise, _right_answer(_task(client, exercise)))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["verdict"], body["feedback"]) == ("correct", [])
    task = _task(client, exercise)
    assert body["correct_answer"] == [
        {"id": _right_answer(task)[0], "text": "no 3. līdz 5. martam"},
        "pārvaldniekam",
        {"id": _right_answer(task)[2], "text": "lifts"},
    ]


@pytest.mark.parametrize(
    ("change", "verdict", "expected"),
    [
        # A typed answer is graded like a cloze blank.
        ({1: "parvaldniekam"}, "almost", [("diacritics", 1)]),
        ({1: "Pārvaldniekam."}, "correct", []),
        # Answer keys: "[nama|mājas] pārvaldniekam".
        ({1: "mājas pārvaldniekam"}, "correct", []),
        ({1: "nama parvaldniekam"}, "almost", [("diacritics", 1)]),
        ({1: "kaimiņam"}, "incorrect", [("wrong_answer", 1)]),
        ({2: "zvans"}, "incorrect", [("wrong_option", 2)]),
        (
            {0: "visu martu", 1: "parvaldniekam"},
            "incorrect",
            [
                ("wrong_option", 0),
                ("diacritics", 1),
            ],
        ),
    ],
)
def test_each_question_gets_its_own_feedback(
    api_client_for, newcomer, exercise_of, answer, change, verdict, expected
):
    exercise = exercise_of("reading")
    client = api_client_for(newcomer)
    task = _task(client, exercise)
    given = _right_answer(task)
    for index, value in change.items():
        question = task["questions"][index]
        given[index] = _option(question, value) if "options" in question else value
    body = answer(client, exercise, given).json()
    assert body["verdict"] == verdict
    assert [(f["code"], f["question"]) for f in body["feedback"]] == expected
    for item in body["feedback"]:
        assert item["message"].startswith(f"Question {item['question'] + 1}: ")


def test_feedback_is_in_the_interface_language(
    api_client_for, newcomer, exercise_of, answer
):
    newcomer.interface_language = "uk"
    newcomer.save()
    exercise = exercise_of("reading")
    client = api_client_for(newcomer)
    given = _right_answer(_task(client, exercise))
    given[1] = "kaimiņam"
    response = answer(client, exercise, given)
    message = response.json()["feedback"][0]["message"]
    assert message.startswith("Запитання 2: "), message


@pytest.mark.parametrize(
    "make_answer",
    [
        lambda task: "pārvaldniekam",
        lambda task: _right_answer(task)[:2],
        lambda task: [*_right_answer(task), "lifts"],
        # An option id of another question, or its text instead of the id.
        lambda task: [_right_answer(task)[2], "x", _right_answer(task)[2]],
        lambda task: ["lifts", "pārvaldniekam", _right_answer(task)[2]],
        lambda task: [_right_answer(task)[0], 12, _right_answer(task)[2]],
        lambda task: [_right_answer(task)[0], ["a"], _right_answer(task)[2]],
        lambda task: [_right_answer(task)[0], "x" * 501, _right_answer(task)[2]],
        lambda task: [_right_answer(task)[0], "a\x00b", _right_answer(task)[2]],
        lambda task: None,
    ],
)
def test_malformed_answers_are_refused_and_nothing_is_recorded(
    api_client_for, newcomer, exercise_of, answer, make_answer
):
    exercise = exercise_of("reading")
    client = api_client_for(newcomer)
    response = answer(client, exercise, make_answer(_task(client, exercise)))
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_answer", "invalid"}
    assert response.json()["message"]
    assert not Attempt.objects.exists()


def test_anonymous_cannot_read_or_answer(api_client, exercise_of):
    exercise = exercise_of("reading")
    assert api_client.get(f"/api/v1/exercises/{exercise.pk}/").status_code == 401
    response = api_client.post(
        f"/api/v1/exercises/{exercise.pk}/attempts/",
        {"answer": ["a", "b", "c"], "client_attempt_id": str(uuid.uuid4())},
        format="json",
    )
    assert response.status_code == 401
    assert not Attempt.objects.exists()


def test_an_inactive_reading_is_not_found(api_client_for, newcomer, exercise_of):
    exercise = exercise_of("reading", is_active=False)
    client = api_client_for(newcomer)
    assert client.get(f"/api/v1/exercises/{exercise.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/exercises/{exercise.pk}/attempts/",
        {"answer": ["a", "b", "c"], "client_attempt_id": str(uuid.uuid4())},
        format="json",
    )
    assert response.status_code == 404


# --- The content format -------------------------------------------------------

QUESTION = {"prompt": "Kad?", "answers": ["rīt"]}
GOOD = {
    "title": "Paziņojums",
    "text": "Rīt no plkst. 9.00 līdz 12.00\nnebūs ūdens.",
    "questions": [
        {"prompt": "Kas nebūs?", "options": ["ūdens", "gāze"], "answer": "ūdens"},
        QUESTION,
        {"prompt": "Līdz cikiem?", "answers": ["[līdz] [12.00|divpadsmitiem]"]},
    ],
}


def test_a_good_reading_payload_is_kept_as_written():
    assert KIND_VALIDATORS["reading"](GOOD) == GOOD


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"title": None}, "title must be text"),
        ({"text": ""}, "text must not be empty"),
        ({"text": "x" * 4001}, "longer than 4000"),
        ({"questions": [QUESTION, QUESTION]}, "3 to 5 questions"),
        ({"questions": [QUESTION] * 6}, "3 to 5 questions"),
        ({"questions": "Kad?"}, "3 to 5 questions"),
        (
            {
                "questions": [
                    QUESTION,
                    {**QUESTION, "prompt": "kad"},
                    GOOD["questions"][0],
                ]
            },
            "same prompt",
        ),
        (
            {
                "questions": [
                    {**QUESTION, "options": ["a", "b"]},
                    *GOOD["questions"][:2],
                ]
            },
            "either a choice",
        ),
        (
            {
                "questions": [
                    {"prompt": "Kas?", "options": ["a", "b"], "answer": "c"},
                    *GOOD["questions"][1:],
                ]
            },
            "questions[0].answer must be one of its options",
        ),
        (
            {
                "questions": [
                    {"prompt": "Kas?", "options": ["a"], "answer": "a"},
                    *GOOD["questions"][1:],
                ]
            },
            "2 to 6 entries",
        ),
        (
            {"questions": [{**QUESTION, "answers": []}, *GOOD["questions"][:2]]},
            "1 to 20 entries",
        ),
        (
            {"questions": [{**QUESTION, "hint": "x"}, *GOOD["questions"][:2]]},
            "unknown field(s): hint",
        ),
        ({"questions": ["Kad?", *GOOD["questions"][:2]]}, "must be a mapping"),
        (
            {"questions": [{**QUESTION, "answers": ["[rīt"]}, *GOOD["questions"][:2]]},
            "questions[0].answers[0]: [",
        ),
        (
            {"questions": [{"answers": ["rīt"]}, *GOOD["questions"][:2]]},
            "questions[0].prompt must be text",
        ),
    ],
)
def test_invalid_reading_payloads_say_why(change, reason):
    with pytest.raises(Invalid, match=None) as error:
        KIND_VALIDATORS["reading"]({**GOOD, **change})
    assert reason in str(error.value)


def _reading_file(tmp_path, fixtures, **extra):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(fixtures, content)
    item = {
        "key": "t-lv-reading",
        "level": "A2",
        "kind": "reading",
        "instructions": {"en": "Read and answer.", "lv": "Izlasiet un atbildiet."},
        "explanation": {"en": "lifts = lift"},
        **GOOD,
        **extra,
    }
    (content / "lv" / "reading.yaml").write_text(
        content_format.yaml_dump(
            {"language": "lv", "topic": "shopping", "exercises": [item]}
        ),
        encoding="utf-8",
    )
    return content


def test_reading_imports_exports_and_reimports_unchanged(tmp_path):
    from tests.exercises.test_import_export import FIXTURES, run

    content = _reading_file(tmp_path, FIXTURES)
    written = (content / "lv" / "reading.yaml").read_text(encoding="utf-8")
    assert "text: |-\n" in written or "text: |\n" in written  # readable block
    run("import_exercises", content)
    exercise = Exercise.objects.get(key="t-lv-reading")
    assert exercise.kind == "reading" and exercise.payload == GOOD
    out_dir = tmp_path / "export"
    run("export_exercises", "--language", "lv", out_dir)
    out, _err = run("import_exercises", out_dir / "lv")
    assert out.splitlines()[0].startswith("exercises: 0 created, 0 updated")


def test_import_reports_a_broken_reading_and_changes_nothing(tmp_path):
    from django.core.management import CommandError

    from tests.exercises.test_import_export import FIXTURES, run

    content = _reading_file(tmp_path, FIXTURES, questions=[QUESTION])
    with pytest.raises(CommandError):
        run("import_exercises", content)
    assert not Exercise.objects.exists()
