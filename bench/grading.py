"""Grading before and after the dictionary rule, on the realistic answers of
tests/exercises/test_grading_table.py.

    DJANGO_SETTINGS_MODULE=backend.settings.test .venv/bin/python bench/grading.py

Prints, per language: how many wrong answers each grader passes as "almost"
(the old grader is read from git, commit d6b8bc2, before this work), the
dictionary's load time and memory, and the time per graded answer: the first
pass (every lookup cold) and the steady state (lookups cached, as in a
running server).
"""

import gc
import importlib.util
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.test")

import django  # noqa: E402

django.setup()

from exercises.answer_keys import expand_all  # noqa: E402
from exercises.language.dictionary import dictionary_for  # noqa: E402

OLD_COMMIT = "d6b8bc2"


def old_grader():
    source = subprocess.run(
        ["git", "show", f"{OLD_COMMIT}:exercises/grading.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location("old_grading", handle.name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def per_answer(grade, rows, rounds: int = 1) -> float:
    """Mean milliseconds per graded answer."""
    gc.collect()
    started = time.perf_counter()
    for _ in range(rounds):
        for given, keys, _verdict, _codes in rows:
            grade(given, keys)
    return (time.perf_counter() - started) / (rounds * len(rows)) * 1000


def measure(language: str, rows: list, profile, old) -> None:
    from exercises.grading import grade_text

    before = rss_mb()
    started = time.perf_counter()
    dictionary = dictionary_for(language)
    load = time.perf_counter() - started
    memory = rss_mb() - before
    old_profile = old.GradingProfile(
        diacritics=profile.diacritics, confusables=profile.confusables
    )

    def old_grade(given, keys):
        return old.grade_text(given, expand_all(keys), old_profile, word_order=True)

    def new_grade(given, keys):
        return grade_text(given, keys, profile, word_order=True)

    wrong = [row for row in rows if row[2] == "incorrect"]
    old_passed = sum(old_grade(g, k).verdict == "almost" for g, k, *_ in wrong)
    new_passed = sum(new_grade(g, k).verdict == "almost" for g, k, *_ in wrong)
    old_right = sum(old_grade(g, k).verdict == v for g, k, v, _ in rows)
    new_right = sum(new_grade(g, k).verdict == v for g, k, v, _ in rows)
    old_ms = per_answer(old_grade, rows, rounds=20)
    # A fresh dictionary cache: the first pass pays every lookup.
    dictionary.is_word.cache_clear()
    dictionary.stems.cache_clear()
    cold_ms = per_answer(new_grade, rows)
    warm_ms = per_answer(new_grade, rows, rounds=20)
    print(
        f"{language}: {len(rows)} answers, {len(wrong)} of them wrong\n"
        f"    wrong answers passed as almost: before {old_passed}, after "
        f"{new_passed}; verdicts as the teacher's: before {old_right}, after "
        f"{new_right}\n"
        f"    dictionary load {load:.1f} s, +{memory:.0f} MB peak RSS\n"
        f"    ms per answer: before {old_ms:.3f}; after: first pass {cold_ms:.3f}, "
        f"steady {warm_ms:.3f}"
    )


def main() -> None:
    from tests.exercises import test_grading_table as table

    old = old_grader()
    measure("lv", table.LATVIAN, table.LV, old)
    measure("pl", table.POLISH, table.PL, old)


if __name__ == "__main__":
    main()
