"""manage.py check_content: a pack checked without importing it."""

import io
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from exercises import content_check, content_format
from exercises.models import Exercise

FIXTURES = Path(__file__).parent / "fixtures" / "content"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("check_content", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def pack(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURES, target)
    # The fixture's file of shopping items follows the key rule of real packs.
    path = target / "lv" / "shopping.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # Its match item pairs Latvian with English words, which a pack never does.
    data["exercises"] = [i for i in data["exercises"] if i["kind"] != "match"]
    for number, item in enumerate(data["exercises"], 1):
        item["key"] = f"lv-shopping-{number:03d}"
        item["instructions"] = {
            "en": "Do it.",
            "lv": "Dariet to.",
            "ru": "Сделайте это.",
            "uk": "Зробіть це.",
        }
        item.pop("explanation", None)
        item.pop("hint", None)
    path.write_text(content_format.yaml_dump(data), encoding="utf-8")
    (target / "pl").rename(tmp_path / "pl-elsewhere")
    return target


def _edit(pack: Path, change) -> None:
    path = pack / "lv" / "shopping.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["exercises"])
    path.write_text(content_format.yaml_dump(data), encoding="utf-8")


def test_a_clean_pack_passes_with_its_coverage_table(pack):
    out, err = run("--content-dir", pack, "--no-spelling")
    assert err == ""
    items = len(content_check.check_language("lv", content_dir=pack).items)
    assert f"== lv: {items} items" in out
    table = out.splitlines()
    assert table[1].split()[0] == "topic" and table[1].split()[-1] == "all"
    assert "A1" in table[1].split()
    shopping = next(line for line in table if line.startswith("shopping"))
    assert shopping.split()[-1] == str(items)
    assert "ch1" in shopping and "cl1" in shopping
    assert "lv: 0 error(s), 0 warning(s)" in out
    assert "distinct words: A1" in out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda items: items.append(dict(items[0])), "duplicate key"),
        (
            lambda items: items[0].update(options=["maizi", "Maizi", "maize"]),
            "options has the same entry twice",
        ),
        (
            lambda items: items[0]["instructions"].pop("uk"),
            "instructions missing in uk",
        ),
        (lambda items: items[0].update(key="lv-shop-001"), "key must be lv-shopping-"),
        (lambda items: items[1].update(blanks=[["pērku"]]), "blanks must be a list"),
    ],
)
def test_errors_fail_the_check(pack, change, message):
    _edit(pack, change)
    with pytest.raises(CommandError, match="content check failed: lv"):
        run("--content-dir", pack, "--no-spelling")
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "check_content",
            "--content-dir",
            str(pack),
            "--no-spelling",
            stdout=out,
            stderr=err,
        )
    assert message in err.getvalue()


def test_missing_ru_and_uk_help_is_a_warning_and_fails_when_strict(pack):
    _edit(pack, lambda items: items[0].update(explanation={"en": "Accusative."}))
    _out, err = run("--content-dir", pack, "--no-spelling")
    assert "warning:" in err and "explanation missing in ru, uk" in err
    with pytest.raises(CommandError):
        run("--content-dir", pack, "--no-spelling", "--strict")


def test_the_check_imports_nothing(pack, db):
    run("--content-dir", pack, "--no-spelling")
    assert not Exercise.objects.exists()


def test_bad_arguments_are_refused(pack, tmp_path):
    with pytest.raises(CommandError, match="two-letter"):
        run("--language", "latvian")
    with pytest.raises(CommandError, match="not a directory"):
        run("--content-dir", tmp_path / "missing")
    with pytest.raises(CommandError, match="content check failed: de"):
        run("--content-dir", pack, "--language", "de", "--no-spelling")


def test_a_misspelled_word_is_an_error_unless_allowlisted(pack):
    _edit(pack, lambda items: items[0].update(options=["maizi", "maize", "maizzes"]))
    with pytest.raises(CommandError):
        run("--content-dir", pack)
    report = content_check.check_language("lv", content_dir=pack)
    assert set(report.unknown_words) == {"maizzes"}
    (pack / "lv" / "_allowlist.txt").write_text("maizzes  # a test word\n")
    assert not content_check.check_language("lv", content_dir=pack).errors


def test_an_allowlist_entry_without_reason_is_an_error(pack):
    (pack / "lv" / "_allowlist.txt").write_text("maizzes\n")
    report = content_check.check_language("lv", content_dir=pack, spelling=False)
    assert any("needs a '# reason'" in error for error in report.errors)


def test_reading_texts_are_spell_checked(pack):
    def add(items):
        items.append(
            {
                "key": "lv-shopping-101",
                "level": "A2",
                "kind": "reading",
                "instructions": items[0]["instructions"],
                "title": "Veikals",
                "text": "Veikals strādā no rīta līdz vakaram.\nSvētdienās slēgts.",
                "questions": [
                    {"prompt": "Kad veikals ir slēgts?", "answers": ["svētdienās"]},
                    {"prompt": "Kas strādā?", "answers": ["veikals"]},
                    {
                        "prompt": "Kad?",
                        "options": ["no rīta", "nakttī"],
                        "answer": "no rīta",
                    },
                ],
            }
        )

    _edit(pack, add)
    report = content_check.check_language("lv", content_dir=pack)
    assert set(report.unknown_words) == {"nakttī"}
    assert report.unknown_words["nakttī"] == {"lv-shopping-101"}


def test_the_real_packs_pass_the_structure_checks():
    """What CI runs for every pack (the spelling test adds the dictionary)."""
    for language in content_check.languages():
        report = content_check.check_language(language, spelling=False)
        assert not report.errors, "\n".join(report.errors)


def test_every_real_pack_explains_in_english_russian_and_ukrainian():
    """CI runs the check with --strict: no explanation, hint or translate
    source of a real pack may lack its ru or uk text."""
    for language in content_check.languages():
        report = content_check.check_language(language, spelling=False)
        assert not report.failed(strict=True), "\n".join(report.warnings)


def test_a_pack_without_a_dictionary_cannot_be_spell_checked(pack):
    (pack / "xx").mkdir()
    (pack / "xx" / "_profile.yaml").write_text(
        "language: xx\nname: {en: Test}\n", encoding="utf-8"
    )
    (pack / "xx" / "shopping.yaml").write_text(
        content_format.yaml_dump(
            {
                "language": "xx",
                "topic": "shopping",
                "exercises": [
                    {
                        "key": "xx-shopping-001",
                        "level": "A1",
                        "kind": "choice",
                        "instructions": {
                            "en": "Pick.",
                            "xx": "Pick.",
                            "ru": "Выберите.",
                            "uk": "Виберіть.",
                        },
                        "options": ["aa", "bb"],
                        "answer": "aa",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    report = content_check.check_language("xx", content_dir=pack)
    assert any("spelling not checked" in error for error in report.errors)
