"""The answer-key syntax: expansion, validation at import, and its use by the
grader and the correct answer shown to learners."""

import io
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from exercises import content_format
from exercises.answer_keys import MAX_EXPANSIONS, AnswerKeyError, expand
from exercises.grading import GradingProfile, grade_text
from exercises.models import Exercise
from tests.factories import UserFactory

FIXTURES = Path(__file__).parent / "fixtures" / "content"
LATVIAN = GradingProfile(diacritics="āčēģīķļņšūž")


@pytest.mark.parametrize(
    ("key", "answers"),
    [
        (
            "Es [pārcēlos|pārvācos] uz Rīgu [pērn|pagājušogad].",
            [
                "Es pārcēlos uz Rīgu pērn.",
                "Es pārcēlos uz Rīgu pagājušogad.",
                "Es pārvācos uz Rīgu pērn.",
                "Es pārvācos uz Rīgu pagājušogad.",
            ],
        ),
        # An omitted optional word takes its space with it...
        ("Es [ļoti] gribu kafiju.", ["Es ļoti gribu kafiju.", "Es gribu kafiju."]),
        ("Gribu [to].", ["Gribu to.", "Gribu."]),
        ("Es [ļoti|] gribu", ["Es ļoti gribu", "Es gribu"]),
        # ... and a sentence that starts with a capital still does.
        ("[Es] gribu kafiju.", ["Es gribu kafiju.", "Gribu kafiju."]),
        ("[es] gribu", ["es gribu", "gribu"]),
        # Alternatives of several words, digits, parts of words.
        (
            "Strādāju no [9|deviņiem] līdz [17|pieciem]",
            [
                "Strādāju no 9 līdz 17",
                "Strādāju no 9 līdz pieciem",
                "Strādāju no deviņiem līdz 17",
                "Strādāju no deviņiem līdz pieciem",
            ],
        ),
        ("[Labdien|Labrīt, Anna]!", ["Labdien!", "Labrīt, Anna!"]),
        ("Rīg[ā|u]", ["Rīgā", "Rīgu"]),
        # Plain text is itself; duplicates (as graded) are dropped.
        ("Paldies!", ["Paldies!"]),
        ("[Labdien|labdien]", ["Labdien"]),
    ],
)
def test_a_key_expands_to_every_answer_it_stands_for(key, answers):
    assert list(expand(key)) == answers


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("Es [gribu kafiju", "[ at character 4 is never closed"),
        ("Es gribu] kafiju", "] at character 9 has no ["),
        ("Es [gribu [ļoti]] kafiju", "brackets cannot be nested"),
        ("Es gribu|vēlos", "| outside [...]"),
        ("Es [] gribu", "[] has no alternative"),
        ("Es [gribu||vēlos]", "empty alternative"),
        ("Es [|gribu]", "empty alternative"),
        ("[Paldies]", "one of its answers is empty"),
        ("Es {gribu}", "reserved"),
        ("[a|b|c|d|e] " * 4, f"more than {MAX_EXPANSIONS} answers"),
    ],
)
def test_a_broken_key_says_why(key, reason):
    with pytest.raises(AnswerKeyError, match=reason.replace("[", r"\[")):
        expand(key)


def test_the_grader_accepts_every_expansion_and_quotes_the_one_written():
    key = ["Es [pārcēlos|pārvācos] uz Rīgu [pērn|pagājušogad]."]
    assert grade_text("Es pārvācos uz Rīgu pagājušogad", key, LATVIAN).verdict == (
        "correct"
    )
    result = grade_text("Es parvacos uz Rigu pern", key, LATVIAN)
    assert result.verdict == "almost"
    assert result.feedback[0]["expected"] == "Es pārvācos uz Rīgu pērn."
    result = grade_text("Es dzīvoju Rīgā", key, LATVIAN)
    assert result.feedback[0]["expected"] == "Es pārcēlos uz Rīgu pērn."


# --- At import ------------------------------------------------------------------


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURES, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(content_format.yaml_dump(data), encoding="utf-8")


def _import(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_exercises", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_keeps_keys_as_written_and_serves_their_first_answer(
    content, api_client_for, answer
):
    shopping = content / "lv" / "shopping.yaml"

    def change(data):
        items = {item["key"]: item for item in data["exercises"]}
        items["t-lv-translate"]["answers"] = ["[Es] gribu [mācīties|studēt]."]
        items["t-lv-cloze"]["blanks"][1] = ["[sāli|sāli un piparus]"]

    _edit(shopping, change)
    _import(content)
    exercise = Exercise.objects.get(key="t-lv-translate")
    assert exercise.payload["answers"] == ["[Es] gribu [mācīties|studēt]."]

    client = api_client_for(UserFactory())
    response = answer(client, exercise, "Gribu studēt")
    assert response.status_code == 201, response.json()
    assert response.json()["verdict"] == "correct"
    response = answer(client, exercise, "Es gribu ēst")
    assert response.json()["correct_answer"] == "Es gribu mācīties."


@pytest.mark.django_db
def test_import_refuses_broken_keys_with_file_key_and_reason(content):
    shopping = content / "lv" / "shopping.yaml"

    def change(data):
        items = {item["key"]: item for item in data["exercises"]}
        items["t-lv-translate"]["answers"] = ["Es [gribu mācīties."]
        items["t-lv-cloze"]["blanks"][0] = ["[pērku||nopērku]"]
        items["t-lv-order"]["answers"] = ["Es [dzīvoju] Rīgā"]

    _edit(shopping, change)
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 error"):
        call_command("import_exercises", str(content), stdout=io.StringIO(), stderr=err)
    lines = sorted(err.getvalue().strip().splitlines())
    assert lines == [
        f"{shopping.resolve()}: t-lv-cloze: blanks[0][0]: [pērku||nopērku] has an "
        "empty alternative (only the last may be empty)",
        f"{shopping.resolve()}: t-lv-order: answers[0] does not use exactly the "
        "given words (Es Rīgā)",
        f"{shopping.resolve()}: t-lv-translate: answers[0]: [ at character 4 is "
        "never closed",
    ]
    assert not Exercise.objects.exists()
