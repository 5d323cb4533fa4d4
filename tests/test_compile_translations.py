"""scripts/compile_translations.py: every app's catalogs, for make and Docker."""

import gettext
import re
import shutil
import subprocess
import sys

from tests.support import ROOT

SCRIPT = ROOT / "scripts" / "compile_translations.py"
APPS_WITH_CATALOGS = {"locale", "clubs", "exercises", "realtime"}


def copy_catalogs(target):
    """The repository's .po files under ``target``, without any .mo."""
    for po in ROOT.glob("**/locale/*/LC_MESSAGES/*.po"):
        if ".venv" in po.parts:
            continue
        relative = po.relative_to(ROOT)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(po, target / relative)


def run(*args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_app_catalog_is_compiled_and_translates(tmp_path):
    copy_catalogs(tmp_path)
    catalogs = sorted(tmp_path.glob("**/*.po"))
    assert {po.relative_to(tmp_path).parts[0] for po in catalogs} >= (
        APPS_WITH_CATALOGS
    )

    result = run("--root", str(tmp_path))

    assert result.returncode == 0, result.stderr
    for po in catalogs:
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{po} was not compiled"
        with mo.open("rb") as handle:
            assert gettext.GNUTranslations(handle)._catalog, f"{mo} is empty"
    realtime_lv = tmp_path / "realtime/locale/lv/LC_MESSAGES/django.mo"
    with realtime_lv.open("rb") as handle:
        lv = gettext.GNUTranslations(handle)
    assert lv.gettext("Unknown frame type %(type)s.") == (
        "Nezināms kadra veids: %(type)s."
    )


def test_a_second_run_recompiles_only_what_changed(tmp_path):
    copy_catalogs(tmp_path)
    assert run("--root", str(tmp_path)).returncode == 0
    again = run("--root", str(tmp_path))
    assert again.returncode == 0
    assert again.stdout == ""
    forced = run("--root", str(tmp_path), "--force")
    assert forced.stdout.count("compiled ") == len(list(tmp_path.glob("**/*.po")))


def test_a_broken_catalog_fails_the_build(tmp_path):
    po = tmp_path / "clubs/locale/lv/LC_MESSAGES/django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "%(count)d places"\nmsgstr "%(skaits)d vietas"\n',
        encoding="utf-8",
    )
    result = run("--root", str(tmp_path))
    assert result.returncode == 1
    assert "django.po" in result.stderr
    assert not po.with_suffix(".mo").exists()


def test_make_and_the_dockerfile_use_the_script():
    makefile = (ROOT / "Makefile").read_text()
    messages = re.search(r"^messages:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert "scripts/compile_translations.py" in messages.group(1)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "python scripts/compile_translations.py" in dockerfile
    assert "pybabel" not in dockerfile


def test_sqlite_side_files_are_ignored_by_git():
    names = ["db.sqlite3", "db.sqlite3-journal", "db.sqlite3-wal", "db.sqlite3-shm"]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == names
