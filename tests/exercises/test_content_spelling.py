"""Spelling and structure of the learning content in exercises/content/.

No database. Spelling goes through ``exercises.content_check`` (what
``manage.py check_content`` runs): every target-language string a learner sees
or types (prompts, options, answers, cloze texts and blanks, order words, match
pairs, reading texts and questions, transcripts) goes through hunspell;
UI-language texts (instructions, hints, explanations, sources) do not. The
rules below are the house style on top of the format's validation.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from exercises import content_check
from exercises.answer_keys import expand

CONTENT = Path(__file__).resolve().parents[2] / "exercises" / "content"
DICTIONARIES = {"lv": "lv_LV", "pl": "pl_PL"}
UI_LANGUAGES = {"lv": {"en", "lv", "ru", "uk"}, "pl": {"en", "pl", "ru", "uk"}}
LEVELS = {"A1", "A2", "B1", "B2", "C1", "C2"}
KINDS = {"choice", "cloze", "translate", "order", "match", "reading"}
BLANK = "___"
MINIMUM = {
    # Issue 13: 80 at each of A1-B2, 40 at C1 and 25 at C2 for Latvian.
    "lv": {"A1": 80, "A2": 80, "B1": 80, "B2": 80, "C1": 40, "C2": 25, "total": 385},
    "pl": {"A1": 40, "A2": 35, "total": 80},
}
# Levels every one of the ten practical topics must have (issue 13).
PRACTICAL_TOPICS = (
    "greetings",
    "numbers-time",
    "shopping",
    "transport",
    "housing",
    "doctor",
    "work",
    "offices",
    "school",
    "city-services",
)
TOPIC_LEVELS = {"lv": ("A1", "A2", "B1", "B2"), "pl": ("A1", "A2")}
# Reading texts at A2, the level of the exam's reading part.
MINIMUM_A2_READING = {"lv": 10, "pl": 5}


def exercise_files(language):
    return sorted(
        path
        for path in (CONTENT / language).glob("*.yaml")
        if not path.name.startswith("_")
    )


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def items(language):
    """(path, item) for every exercise of one language."""
    return [
        (path, item)
        for path in exercise_files(language)
        for item in load(path)["exercises"]
    ]


def topic_slugs():
    return [topic["slug"] for topic in load(CONTENT / "topics.yaml")["topics"]]


@pytest.mark.parametrize("language", sorted(DICTIONARIES))
def test_every_target_language_word_is_spelled_correctly(language):
    """The same check as ``manage.py check_content``, with the dictionary
    shipped in the pack (``exercises.language.dictionary``)."""
    report = content_check.check_language(language, content_dir=CONTENT)
    assert report.items, f"no {language} content found"
    wrong = report.unknown_words
    lines = "\n".join(f"  {w}: {', '.join(sorted(wrong[w]))}" for w in sorted(wrong))
    assert not wrong, f"unknown {language} words (fix or allowlist):\n{lines}"
    assert not report.errors, "\n".join(report.errors)


@pytest.mark.parametrize("language", sorted(DICTIONARIES))
def test_every_allowlist_entry_gives_a_reason(language):
    path = CONTENT / language / "_allowlist.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, reason = line.partition("#")
        assert not word.strip() or reason.strip(), f"no # reason for {word!r}"


def test_keys_are_unique_and_files_match_their_path_and_topics():
    slugs, keys = topic_slugs(), Counter()
    assert len(slugs) == len(set(slugs))
    for language in DICTIONARIES:
        for path in exercise_files(language):
            document = load(path)
            assert document["language"] == language, path
            assert document["topic"] == path.stem, path
            assert document["topic"] in slugs, path
            for item in document["exercises"]:
                keys[item["key"]] += 1
                key_pattern = rf"{language}-{path.stem}-\d{{3}}"
                assert re.fullmatch(key_pattern, item["key"]), item["key"]
    duplicates = [key for key, count in keys.items() if count > 1]
    assert not duplicates, f"duplicate keys: {duplicates}"


def item_problems(language, item):
    """Why one item breaks the rules of the content format (empty: it does not)."""
    problems, kind = [], item["kind"]

    def need(ok, reason):
        if not ok:
            problems.append(reason)

    need(item["level"] in LEVELS and kind in KINDS, "unknown level or kind")
    need(UI_LANGUAGES[language] <= set(item["instructions"]), "UI language missing")
    for field in ("hint", "explanation"):
        need("en" in item.get(field, {"en": ""}), f"{field} has no en text")
    if kind == "choice":
        options = item["options"]
        need(3 <= len(options) == len(set(options)) <= 4, "needs 3-4 distinct options")
        need(item["answer"] in options, "answer is not one of the options")
    elif kind == "cloze":
        blanks = item["blanks"]
        need(set(re.findall(r"_+", item["text"])) == {BLANK}, "blanks must be ___")
        need(len(blanks) == item["text"].count(BLANK), "one blanks list per ___")
        need(all(b and all(b) for b in blanks), "every blank needs an answer")
    elif kind == "translate":
        need("prompt" not in item, "translate has no prompt (source is shown)")
        need("en" in item["source"] and item["answers"], "needs source.en and answers")
    elif kind == "order":
        words = sorted(word.casefold() for word in item["words"])
        answers = [answer for key in item["answers"] for answer in expand(key)]
        casefolded = {answer.casefold() for answer in answers}
        need(" ".join(item["words"]).casefold() not in casefolded, "words not shuffled")
        for answer in answers:
            need(sorted(answer.casefold().split()) == words, f"{answer!r}: words")
            need(answer[-1].isalnum(), f"{answer!r}: final punctuation")
    elif kind == "reading":
        questions = item["questions"]
        need(3 <= len(questions) <= 5, "needs 3-5 questions")
        for question in questions:
            if "options" in question:
                options = question["options"]
                need(3 <= len(options) <= 4, f"{question['prompt']}: 3-4 options")
                need(question["answer"] in options, "answer is not an option")
            else:
                need(question["answers"], f"{question['prompt']}: no answers")
    elif kind == "match":
        pairs = item["pairs"]
        need(4 <= len(pairs) <= 5, "needs 4-5 pairs")
        need(all(len(pair) == 2 for pair in pairs), "each pair is [left, right]")
        for side in (0, 1):
            need(len({pair[side] for pair in pairs}) == len(pairs), "repeated side")
    return problems


@pytest.mark.parametrize("language", sorted(DICTIONARIES))
def test_every_item_follows_the_rules_of_its_kind(language):
    problems = []
    for path, item in items(language):
        try:
            reasons = item_problems(language, item)
        except (KeyError, TypeError) as error:
            reasons = [f"missing or malformed field {error}"]
        problems += [f"{path.name}: {item.get('key')}: {r}" for r in reasons]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", sorted(DICTIONARIES))
def test_content_reaches_the_minimum_counts_and_uses_every_kind(language):
    loaded = [item for _, item in items(language)]
    levels = Counter(item["level"] for item in loaded)
    levels["total"] = len(loaded)
    for level, minimum in MINIMUM[language].items():
        assert levels[level] >= minimum, f"{language} {level}: {levels[level]}"
    assert {item["kind"] for item in loaded} >= KINDS
    a2_reading = [
        item for item in loaded if item["kind"] == "reading" and item["level"] == "A2"
    ]
    assert len(a2_reading) >= MINIMUM_A2_READING[language]


@pytest.mark.parametrize("language", sorted(DICTIONARIES))
def test_every_practical_topic_has_every_required_level(language):
    have = {(load(path)["topic"], item["level"]) for path, item in items(language)}
    missing = [
        f"{topic} {level}"
        for topic in PRACTICAL_TOPICS
        for level in TOPIC_LEVELS[language]
        if (topic, level) not in have
    ]
    assert not missing, f"{language}: " + ", ".join(missing)
