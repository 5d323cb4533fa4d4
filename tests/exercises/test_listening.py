"""Listening items: the recording is served, the transcript comes after answering.

The fixture recording (tests/exercises/fixtures/audio/tone.wav, a quarter of a
second of a 440 Hz tone) is test data, not content: Runa ships no synthetic
speech.
"""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.test import Client

from exercises import content_check, content_format
from exercises.models import Exercise
from tests.exercises.test_import_export import FIXTURES, run

pytestmark = pytest.mark.django_db

RECORDING = Path(__file__).parent / "fixtures" / "audio" / "tone.wav"
TRANSCRIPT = "Lūdzu, vienu maizi un pienu!"


def _pack(tmp_path: Path, **fields) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    (content / "lv" / "audio").mkdir()
    shutil.copy(RECORDING, content / "lv" / "audio" / "lv-shopping-050.wav")
    item = {
        "key": "lv-shopping-050",
        "level": "A1",
        "kind": "choice",
        "instructions": {"en": "Listen. What does the customer buy?"},
        "prompt": "Ko pircējs pērk?",
        "audio": "audio/lv-shopping-050.wav",
        "transcript": TRANSCRIPT,
        "options": ["maizi un pienu", "maizi un sieru", "pienu un sieru"],
        "answer": "maizi un pienu",
        **fields,
    }
    item = {name: value for name, value in item.items() if value is not None}
    (content / "lv" / "listening.yaml").write_text(
        content_format.yaml_dump(
            {"language": "lv", "topic": "shopping", "exercises": [item]}
        ),
        encoding="utf-8",
    )
    return content


@pytest.fixture
def listening(tmp_path, settings) -> Exercise:
    settings.MEDIA_ROOT = tmp_path / "media"
    run("import_exercises", _pack(tmp_path))
    return Exercise.objects.get(key="lv-shopping-050")


def test_the_exercise_links_its_recording_but_not_its_transcript(
    api_client_for, newcomer, listening
):
    body = api_client_for(newcomer).get(f"/api/v1/exercises/{listening.pk}/").json()
    assert body["audio"] == "/media/exercises/audio/lv/audio/lv-shopping-050.wav"
    assert "transcript" not in body
    assert "Lūdzu" not in str(body)


def test_the_recording_is_served_without_debug(listening, settings):
    settings.DEBUG = False
    response = Client().get("/media/exercises/audio/lv/audio/lv-shopping-050.wav")
    assert response.status_code == 200
    assert response["Content-Type"] in {"audio/wav", "audio/x-wav"}
    assert response["Accept-Ranges"] == "bytes"
    assert response.content == RECORDING.read_bytes()
    assert int(response["Content-Length"]) == RECORDING.stat().st_size


def test_byte_ranges_are_honoured(listening):
    url = "/media/exercises/audio/lv/audio/lv-shopping-050.wav"
    size = RECORDING.stat().st_size
    data = RECORDING.read_bytes()
    response = Client().get(url, HTTP_RANGE="bytes=0-11")
    assert response.status_code == 206
    assert response.content == data[:12] and data[:4] == b"RIFF"
    assert response["Content-Range"] == f"bytes 0-11/{size}"
    response = Client().get(url, HTTP_RANGE="bytes=-4")
    assert (response.status_code, response.content) == (206, data[-4:])
    response = Client().get(url, HTTP_RANGE="bytes=40-")
    assert (response.status_code, response.content) == (206, data[40:])
    response = Client().get(url, HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    head = Client().head(url)
    assert (head.status_code, head.content) == (200, b"")
    assert int(head["Content-Length"]) == size


@pytest.mark.parametrize(
    "path",
    [
        "/media/exercises/audio/lv/audio/missing.wav",
        "/media/exercises/audio/",
        "/media/exercises/audio/../../../backend/settings/base.py",
        "/media/exercises/audio/%2e%2e/%2e%2e/secret.wav",
    ],
)
def test_unknown_or_outside_files_are_not_found(listening, path):
    assert Client().get(path).status_code == 404


def test_the_recording_cannot_be_changed_over_http(listening):
    url = "/media/exercises/audio/lv/audio/lv-shopping-050.wav"
    assert Client().post(url, data=b"x", content_type="audio/wav").status_code == 405
    assert Client().delete(url).status_code == 405
    assert Client().get(url).content == RECORDING.read_bytes()


def test_the_transcript_comes_with_the_attempt(
    api_client_for, newcomer, listening, answer
):
    client = api_client_for(newcomer)
    task = client.get(f"/api/v1/exercises/{listening.pk}/").json()["task"]
    option = next(o["id"] for o in task["options"] if o["text"] == "maizi un sieru")
    body = answer(client, listening, option).json()
    assert body["verdict"] == "incorrect"
    assert body["transcript"] == TRANSCRIPT
    assert client.get(f"/api/v1/attempts/{body['id']}/").json()["transcript"] == (
        TRANSCRIPT
    )


def test_exercises_without_a_recording_have_an_empty_transcript(
    api_client_for, newcomer, exercise_of, answer
):
    exercise = exercise_of("choice")
    body = answer(api_client_for(newcomer), exercise, "nonsense").json()
    assert body["code"] == "invalid_answer"
    options = api_client_for(newcomer).get(f"/api/v1/exercises/{exercise.pk}/")
    first = options.json()["task"]["options"][0]["id"]
    assert answer(api_client_for(newcomer), exercise, first).json()["transcript"] == ""


def test_the_recording_and_transcript_round_trip(listening, tmp_path):
    out_dir = tmp_path / "export"
    run("export_exercises", "--language", "lv", out_dir)
    exported = out_dir / "lv" / "audio" / "lv-shopping-050.wav"
    assert exported.read_bytes() == RECORDING.read_bytes()
    out, _err = run("import_exercises", out_dir / "lv")
    assert out.splitlines()[0].startswith("exercises: 0 created, 0 updated")
    assert Exercise.objects.get(key="lv-shopping-050").transcript == TRANSCRIPT


def test_a_transcript_needs_a_recording(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(CommandError):
        run("import_exercises", _pack(tmp_path, audio=None))
    assert not Exercise.objects.exists()


def test_check_content_wants_a_transcript_for_each_recording(tmp_path):
    pack = _pack(tmp_path, transcript=None)
    report = content_check.check_language("lv", content_dir=pack, spelling=False)
    assert any("needs its transcript" in error for error in report.errors)
