"""Staff decisions are kept: an answer accepted on review survives content
import (make run re-imports at every start) and export writes it into the
YAML with its provenance."""

import io
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from exercises import content_format
from exercises.models import AcceptedAnswer, Exercise
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "content"


def run(command: str, *args) -> str:
    out = io.StringIO()
    call_command(command, *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURES, target)
    run("import_exercises", target)
    return target


@pytest.fixture
def accept(api_client_for, newcomer, staff, answer):
    """The newcomer answers, disputes, and staff accepts: the dispute's id."""

    def decide(key: str, value) -> int:
        exercise = Exercise.objects.get(key=key)
        client = api_client_for(newcomer)
        attempt = answer(client, exercise, value).json()
        assert attempt["verdict"] != "correct"
        dispute = client.post(f"/api/v1/attempts/{attempt['id']}/dispute/").json()
        staff_client = api_client_for(staff)
        response = staff_client.post(f"/api/v1/disputes/{dispute['id']}/accept/")
        assert response.json()["answer_added"] is True
        return dispute["id"]

    return decide


def grade(api_client_for, answer, key: str, value) -> str:
    exercise = Exercise.objects.get(key=key)
    return answer(api_client_for(UserFactory()), exercise, value).json()["verdict"]


def test_an_accepted_answer_survives_reimport(
    content, accept, staff, api_client_for, answer
):
    dispute_id = accept("t-lv-translate", "Es vēlos mācīties")
    kept = AcceptedAnswer.objects.get()
    assert (kept.dispute_id, kept.accepted_by, kept.answer) == (
        dispute_id,
        staff,
        "Es vēlos mācīties",
    )

    out = run("import_exercises", content)
    assert "exercises: 0 created, 0 updated, 6 unchanged" in out
    exercise = Exercise.objects.get(key="t-lv-translate")
    assert "Es vēlos mācīties" in exercise.payload["answers"]
    assert grade(api_client_for, answer, "t-lv-translate", "es vēlos mācīties") == (
        "correct"
    )

    # An editor changes the item in the file: the decision is still kept.
    shopping = content / "lv" / "shopping.yaml"
    data = yaml.safe_load(shopping.read_text(encoding="utf-8"))
    data["exercises"][2]["answers"] = ["[Es] gribu mācīties."]
    shopping.write_text(content_format.yaml_dump(data), encoding="utf-8")
    run("import_exercises", content)
    exercise.refresh_from_db()
    assert exercise.payload["answers"] == ["[Es] gribu mācīties.", "Es vēlos mācīties"]
    assert AcceptedAnswer.objects.count() == 1


def test_an_accepted_cloze_blank_survives_reimport(
    content, accept, api_client_for, answer
):
    accept("t-lv-cloze", ["pērku", "sāli un piparus"])
    run("import_exercises", content)
    exercise = Exercise.objects.get(key="t-lv-cloze")
    assert exercise.payload["blanks"] == [
        ["pērku", "nopērku"],
        ["sāli", "sāli un piparus"],
    ]


def test_export_writes_the_decision_with_its_provenance_and_reimports_it(
    content, accept, staff, tmp_path
):
    dispute_id = accept("t-lv-order", ["Rīgā", "dzīvoju", "es"])
    outdir = tmp_path / "out"
    run("export_exercises", "--language", "lv", outdir)
    exported = yaml.safe_load((outdir / "lv" / "shopping.yaml").read_text("utf-8"))
    item = next(i for i in exported["exercises"] if i["key"] == "t-lv-order")
    assert item["answers"] == ["Es dzīvoju Rīgā", "Rīgā es dzīvoju"]
    (entry,) = item["accepted_on_review"]
    assert entry["answer"] == "Rīgā dzīvoju es"
    assert entry["dispute"] == dispute_id
    assert entry["accepted_by"] == staff.email
    assert entry["accepted_at"]

    # Exported and imported again here: nothing changes, nothing doubles.
    out = run("import_exercises", outdir)
    assert "0 updated" in out
    assert AcceptedAnswer.objects.count() == 1

    # Imported into a database that never saw the dispute: the answer is
    # accepted and its provenance kept.
    Exercise.objects.all().delete()
    run("import_exercises", outdir)
    exercise = Exercise.objects.get(key="t-lv-order")
    assert "Rīgā dzīvoju es" in exercise.payload["answers"]
    kept = AcceptedAnswer.objects.get()
    assert kept.dispute is None
    assert kept.source == {"dispute": dispute_id, "accepted_by": staff.email}


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("Es vēlos mācīties", "accepted_on_review[0] must be a mapping with an answer"),
        ({"answer": "x", "judge": "me"}, "unknown field(s): judge"),
        ({"answer": ["Es", "vēlos"]}, "answer must be text"),
        ({"answer": "Es [vēlos mācīties"}, "cannot be an answer of this item"),
        ({"answer": "Es vēlos", "dispute": "twelve"}, "must be a dispute number"),
    ],
)
def test_a_broken_decision_in_a_file_stops_the_import(content, entry, reason):
    shopping = content / "lv" / "shopping.yaml"
    data = yaml.safe_load(shopping.read_text(encoding="utf-8"))
    data["exercises"][2]["accepted_on_review"] = [entry]
    shopping.write_text(content_format.yaml_dump(data), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_exercises", str(content), stdout=io.StringIO(), stderr=err)
    assert "t-lv-translate: " in err.getvalue()
    assert reason in err.getvalue()
