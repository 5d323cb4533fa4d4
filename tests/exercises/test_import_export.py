import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from exercises import content_format, demo
from exercises.models import Exercise, LanguageProfile, Topic

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "content"
REAL_CONTENT = Path(demo.__file__).parent / "content"


def run(command: str, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def content(tmp_path) -> Path:
    """A writable copy of the fixture content."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(content_format.yaml_dump(data), encoding="utf-8")


def test_import_then_reimport_is_idempotent(content):
    out, _err = run("import_exercises", content)
    assert "exercises: 6 created, 0 updated, 0 unchanged" in out
    assert "topics: 2 created" in out
    assert "language profiles: 2 created" in out
    exercise = Exercise.objects.get(key="t-lv-cloze")
    assert exercise.payload["blanks"] == [["pērku", "nopērku"], ["sāli"]]
    assert exercise.topic.slug == "shopping"
    assert LanguageProfile.objects.get(language="lv").confusables[1] == ["sals", "sāls"]

    out, _err = run("import_exercises", content)
    assert "exercises: 0 created, 0 updated, 6 unchanged" in out


def test_reimport_updates_by_key(content):
    run("import_exercises", content)
    first_id = Exercise.objects.get(key="t-lv-translate").pk

    def change(data):
        data["exercises"][2]["answers"].append("Es vēlos mācīties")

    _edit(content / "lv" / "shopping.yaml", change)
    out, _err = run("import_exercises", content / "lv" / "shopping.yaml")
    assert "exercises: 0 created, 1 updated, 4 unchanged" in out
    exercise = Exercise.objects.get(key="t-lv-translate")
    assert exercise.pk == first_id
    assert exercise.payload["answers"][-1] == "Es vēlos mācīties"


def test_a_language_directory_finds_topics_in_its_parent(content):
    out, _err = run("import_exercises", content / "pl")
    assert "exercises: 1 created" in out
    assert Topic.objects.filter(slug="greetings").exists()


def test_every_error_is_reported_and_nothing_changes(content):
    run("import_exercises", content)
    before = list(Exercise.objects.values_list("key", "payload").order_by("key"))

    def break_shopping(data):
        items = data["exercises"]
        items[0]["answer"] = "maizīte"  # not an option
        items[1]["blanks"] = [["pērku"]]  # two blanks, one list
        items[2]["level"] = "Z9"
        items[3]["answers"] = ["Es dzīvoju Jūrmalā"]  # other words
        items[4]["pairs"] = [["maize", "bread"]]
        items.append(dict(items[0], key="t-lv-choice"))  # duplicate key
        items.append({"key": "t-lv-new", "level": "A1", "kind": "essay"})

    _edit(content / "lv" / "shopping.yaml", break_shopping)

    def break_polish(data):
        data["exercises"][0]["translation"] = "typo in a field name"

    _edit(content / "pl" / "greetings.yaml", break_polish)

    with pytest.raises(CommandError, match="8 error"):
        run("import_exercises", content)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_exercises", str(content), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().strip().splitlines()
    shopping = str((content / "lv" / "shopping.yaml").resolve())
    polish = str((content / "pl" / "greetings.yaml").resolve())
    assert lines == [
        f"{shopping}: t-lv-choice: answer must be one of the options",
        f"{shopping}: t-lv-cloze: blanks must be a list of 2 lists (one per ___)",
        f"{shopping}: t-lv-translate: level must be one of A1, A2, B1, B2, C1, C2, "
        "not 'Z9'",
        f"{shopping}: t-lv-order: answers[0] does not use exactly the given words",
        f"{shopping}: t-lv-match: pairs must be a list of 2 to 12 [left, right] pairs",
        f"{shopping}: t-lv-choice: duplicate key (also in {shopping})",
        f"{shopping}: t-lv-new: kind must be one of choice, cloze, translate, order, "
        "match, reading, not 'essay'",
        f"{polish}: t-pl-translate: unknown field(s) for kind translate: translation",
    ]
    assert list(Exercise.objects.values_list("key", "payload").order_by("key")) == (
        before
    )


def test_nothing_is_imported_when_any_file_is_wrong(content):
    (content / "lv" / "broken.yaml").write_text("language: lv\ntopic: [oops\n")
    with pytest.raises(CommandError):
        run("import_exercises", content)
    assert not Exercise.objects.exists()
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"kind": "choice", "options": ["a"], "answer": "a"}, "options must have 2"),
        ({"kind": "choice", "options": ["a", "a"], "answer": "a"}, "same entry twice"),
        ({"kind": "choice", "options": [12, 15], "answer": 12}, "in quotes"),
        ({"kind": "cloze", "text": "No blank.", "blanks": []}, "text has no blank"),
        ({"kind": "cloze", "text": "Es ___.", "blanks": [[]]}, "blanks[0] must have"),
        ({"kind": "translate", "source": {"uk": "x"}, "answers": ["x"]}, "needs an En"),
        ({"kind": "translate", "source": {"en": "x"}, "answers": []}, "answers must"),
        ({"kind": "order", "words": ["Es"], "answers": ["Es"]}, "words must be a list"),
        (
            {"kind": "order", "words": ["Es dzīvoju", "Rīgā"], "answers": ["x"]},
            "one word",
        ),
        ({"kind": "match", "pairs": [["a", "b"], ["a", "c"]]}, "same left item"),
        ({"kind": "match", "pairs": [["a", "b"], ["c"]]}, "must be [left, right]"),
        ({"instructions": {"lv": "Dariet."}}, "instructions needs an English"),
        ({"instructions": {"english": "Do."}}, "not a two-letter language code"),
        ({"prompt": "x" * 501}, "longer than 500"),
        ({"audio": "../../etc/passwd.mp3"}, "inside the content directory"),
        ({"audio": "missing.mp3"}, "does not exist"),
        ({"audio": "notes.txt"}, "must be one of .mp3"),
    ],
)
def test_item_validation(tmp_path, change, reason):
    item = {
        "key": "x-1",
        "level": "A1",
        "kind": "choice",
        "instructions": {"en": "Do."},
        "options": ["a", "b"],
        "answer": "a",
    }
    kind_fields = {"options", "answer", "text", "blanks", "source", "answers"}
    kind_fields |= {"words", "pairs"}
    if "kind" in change:
        item = {k: v for k, v in item.items() if k not in kind_fields}
    item.update(change)
    with pytest.raises(content_format.Invalid, match=re.escape(reason)):
        content_format.parse_item(
            item, language="lv", topic="shopping", directory=tmp_path, source="x.yaml"
        )


def test_profile_confusables_must_differ_only_in_diacritics(content):
    def change(data):
        data["confusables"].append(["maize", "piens"])

    _edit(content / "lv" / "_profile.yaml", change)
    with pytest.raises(CommandError):
        run("import_exercises", content)


def test_unknown_topic_and_missing_profile(content):
    (content / "lv" / "_profile.yaml").unlink()

    def change(data):
        data["topic"] = "astronomy"

    _edit(content / "lv" / "shopping.yaml", change)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_exercises", str(content / "lv"), stdout=io.StringIO(), stderr=err
        )
    text = err.getvalue()
    assert "unknown topic 'astronomy'" in text
    assert "no _profile.yaml for language 'lv'" in text


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(CommandError):
        run("import_exercises", tmp_path / "nowhere")


def test_export_then_import_changes_nothing(content, tmp_path):
    run("import_exercises", content)
    out_dir = tmp_path / "export"
    out, _err = run("export_exercises", "--language", "lv", out_dir)
    assert (out_dir / "topics.yaml").is_file()
    assert (out_dir / "lv" / "_profile.yaml").is_file()
    assert (out_dir / "lv" / "shopping.yaml").is_file()
    out, _err = run("import_exercises", out_dir / "lv")
    assert "exercises: 0 created, 0 updated, 5 unchanged" in out
    assert "language profiles: 0 created, 0 updated, 1 unchanged" in out


def test_export_needs_a_language(tmp_path):
    with pytest.raises(CommandError):
        run("export_exercises", "--language", "latvian", tmp_path)


def test_audio_is_stored_and_exported(content, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (content / "lv" / "audio").mkdir()
    (content / "lv" / "audio" / "maize.mp3").write_bytes(b"ID3 fake mp3")

    def change(data):
        data["exercises"][0]["audio"] = "audio/maize.mp3"

    _edit(content / "lv" / "shopping.yaml", change)
    run("import_exercises", content)
    exercise = Exercise.objects.get(key="t-lv-choice")
    assert exercise.audio.name == "exercises/audio/lv/audio/maize.mp3"
    assert exercise.audio.read() == b"ID3 fake mp3"

    out, _err = run("import_exercises", content)
    assert "exercises: 0 created, 0 updated, 6 unchanged" in out
    (content / "lv" / "audio" / "maize.mp3").write_bytes(b"ID3 new recording")
    out, _err = run("import_exercises", content)
    assert "exercises: 0 created, 1 updated, 5 unchanged" in out

    out_dir = tmp_path / "export"
    run("export_exercises", "--language", "lv", out_dir)
    assert (out_dir / "lv" / "audio" / "maize.mp3").read_bytes() == b"ID3 new recording"
    out, _err = run("import_exercises", out_dir / "lv")
    assert "exercises: 0 created, 0 updated, 5 unchanged" in out


def test_demo_seed_imports_the_real_content_idempotently():
    first = demo.seed()
    assert "created" in first[0] and "NOT" not in first[0]
    assert demo.seed() == [
        f"exercises: 0 created, 0 updated, {Exercise.objects.count()} unchanged"
    ]


def test_real_content_meets_the_brief_and_round_trips(tmp_path):
    run("import_exercises", REAL_CONTENT)
    latvian = Exercise.objects.filter(language="lv")
    counts = {
        lvl: latvian.filter(level=lvl).count() for lvl in ("A1", "A2", "B1", "B2")
    }
    assert latvian.count() >= 150
    assert counts["A1"] >= 50 and counts["A2"] >= 50
    assert counts["B1"] >= 30 and counts["B2"] >= 10
    assert set(latvian.values_list("kind", flat=True)) == set(content_format.KINDS)
    assert Exercise.objects.filter(language="pl", level="A1").count() >= 20
    for language in ("lv", "pl"):
        run("export_exercises", "--language", language, tmp_path / language)
        out, _err = run("import_exercises", tmp_path / language / language)
        assert " 0 created, 0 updated" in out.splitlines()[0]
