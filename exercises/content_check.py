"""Checking a content pack without importing it (``manage.py check_content``).

Reuses the importer's validation (``content_format.load``) and adds what only
a content review needs: the file layout and key names, spelling with the
pack's dictionary, choice distractors identical to the answer, missing
translations, and a coverage table of level × topic × kind. No database.

Problems are ``errors`` (the command exits non-zero) or ``warnings``
(reported; errors with ``strict``).
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from exercises import content_format
from exercises.answer_keys import expand_all
from exercises.content_format import BLANK, LEVELS, ExerciseData
from exercises.language.dictionary import DictionaryMissing, dictionary_for
from exercises.text import normalise

CONTENT_DIR = Path(__file__).resolve().parent / "content"
# Runs of letters: hyphens and digits split words (e-talons → e, talons).
WORD = re.compile(r"[^\W\d_]+")
# UI languages every explanation and hint needs: most newcomers read Russian or
# Ukrainian better than English.
HELP_LANGUAGES = ("en", "ru", "uk")


class SpellingUnavailable(Exception):
    """The pack ships no hunspell dictionary."""


@dataclass
class CheckReport:
    language: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    items: list[ExerciseData] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    unknown_words: dict[str, set[str]] = field(default_factory=dict)

    def failed(self, *, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def coverage(self) -> dict[tuple[str, str, str], int]:
        """(topic, level, kind) → number of items."""
        return Counter((i.topic, i.level, i.kind) for i in self.items)

    def words_per_level(self) -> dict[str, int]:
        """Distinct target-language words (lower case) used at each level."""
        words: dict[str, set[str]] = defaultdict(set)
        for item in self.items:
            for text in target_strings(item):
                words[item.level] |= {w.lower() for w in WORD.findall(text)}
        return {level: len(words[level]) for level in LEVELS if level in words}


# --- Spelling (the one place that knows how) -------------------------------------


def unknown_words(language: str, words: set[str]) -> set[str]:
    """The words the pack's hunspell dictionary (shipped in the pack, see
    ``exercises.language.dictionary``) does not know."""
    try:
        dictionary = dictionary_for(language)
    except DictionaryMissing as error:
        raise SpellingUnavailable(str(error)) from None
    return {word for word in words if not dictionary.is_word(word)}


def allowlist(folder: Path) -> tuple[set[str], list[str]]:
    """Lower-cased words of ``_allowlist.txt`` and the lines without a reason."""
    path = folder / "_allowlist.txt"
    words, problems = set(), []
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for number, line in enumerate(lines, 1):
        word, _hash, reason = line.partition("#")
        word = word.strip().lower()
        if word and not reason.strip():
            problems.append(f"{path}:{number}: {word!r} needs a '# reason'")
        if word:
            words.add(word)
    return words, problems


# --- What is target language ------------------------------------------------------


def target_strings(item: ExerciseData) -> list[str]:
    """Every target-language text of an item (not the UI-language fields),
    answer keys expanded into the answers they stand for."""
    payload = item.payload
    strings = [item.prompt, item.transcript]
    match item.kind:
        case "choice":
            strings += payload["options"]
        case "cloze":
            strings.append(payload["text"].replace(BLANK, " "))
            strings += [a for blank in payload["blanks"] for a in expand_all(blank)]
        case "translate":
            strings += expand_all(payload["answers"])
        case "order":
            strings += [*payload["words"], *expand_all(payload["answers"])]
        case "match":
            strings += [side for pair in payload["pairs"] for side in pair]
        case "reading":
            strings += [payload["title"], payload["text"]]
            for question in payload["questions"]:
                strings.append(question["prompt"])
                strings += question.get("options", [])
                strings += expand_all(question.get("answers", []))
    return [text for text in strings if text]


# --- Checks -----------------------------------------------------------------------


def _choices(item: ExerciseData) -> list[tuple[str, list[str], str]]:
    """(where, options, answer) of every choice in an item."""
    if item.kind == "choice":
        return [("", item.payload["options"], item.payload["answer"])]
    if item.kind == "reading":
        return [
            (f"questions[{i}]: ", q["options"], q["answer"])
            for i, q in enumerate(item.payload["questions"])
            if "options" in q
        ]
    return []


def _check_item(item: ExerciseData, report: CheckReport, folder: Path) -> None:
    where = f"{item.source}: {item.key}"
    path = Path(item.source)
    if path.stem != item.topic:
        report.errors.append(
            f"{where}: the file of topic {item.topic!r} must be {item.topic}.yaml"
        )
    if not re.fullmatch(rf"{item.language}-{re.escape(item.topic)}-\d{{3}}", item.key):
        report.errors.append(
            f"{where}: key must be {item.language}-{item.topic}-<three digits>"
        )
    for prefix, options, answer in _choices(item):
        twins = [
            option
            for option in options
            if option != answer and normalise(option) == normalise(answer)
        ]
        for twin in twins:
            report.errors.append(
                f"{where}: {prefix}distractor {twin!r} is the answer {answer!r}"
            )
    ui = sorted({"en", "ru", "uk", item.language})
    missing = [code for code in ui if not item.instructions.get(code)]
    if missing:
        report.errors.append(f"{where}: instructions missing in {', '.join(missing)}")
    for name in ("hint", "explanation"):
        texts = getattr(item, name)
        missing = [code for code in HELP_LANGUAGES if texts and code not in texts]
        if missing:
            report.warnings.append(f"{where}: {name} missing in {', '.join(missing)}")
    if item.kind == "translate":
        missing = [c for c in HELP_LANGUAGES if c not in item.payload["source"]]
        if missing:
            report.warnings.append(f"{where}: source missing in {', '.join(missing)}")
    if item.audio and not item.transcript:
        report.errors.append(f"{where}: a recording needs its transcript")


def _check_spelling(report: CheckReport, folder: Path, *, spelling: bool) -> None:
    sources: dict[str, set[str]] = defaultdict(set)
    for item in report.items:
        for text in target_strings(item):
            for word in WORD.findall(text):
                sources[word].add(item.key)
    allowed, problems = allowlist(folder)
    report.errors += problems
    if not spelling or not sources:
        return
    try:
        unknown = unknown_words(report.language, set(sources))
    except SpellingUnavailable as error:
        report.errors.append(f"{folder}: -: spelling not checked: {error}")
        return
    for word in sorted(unknown):
        if word.lower() in allowed:
            continue
        report.unknown_words[word] = sources[word]
        keys = ", ".join(sorted(sources[word]))
        report.errors.append(f"{folder}: {keys}: unknown word {word!r}")


def check_language(
    language: str, *, content_dir: Path = CONTENT_DIR, spelling: bool = True
) -> CheckReport:
    """Check one pack: ``content_dir/<language>/`` with ``content_dir/topics.yaml``."""
    folder = content_dir / language
    report = CheckReport(language=language)
    if not folder.is_dir():
        report.errors.append(f"{folder}: -: no such pack")
        return report
    bundle = content_format.load([folder])
    report.errors += bundle.errors
    report.topics = [topic.slug for topic in bundle.topics]
    report.items = [item for item in bundle.exercises if item.language == language]
    for item in bundle.exercises:
        if item.language != language:
            report.errors.append(
                f"{item.source}: {item.key}: language {item.language!r} "
                f"in the {language}/ pack"
            )
    for item in report.items:
        _check_item(item, report, folder)
    _check_spelling(report, folder, spelling=spelling)
    return report


def languages(content_dir: Path = CONTENT_DIR) -> list[str]:
    return sorted(
        path.name
        for path in content_dir.iterdir()
        if path.is_dir() and (path / "_profile.yaml").is_file()
    )


# --- The coverage table -----------------------------------------------------------


def coverage_lines(report: CheckReport) -> list[str]:
    """Topic × level with the kinds in each cell, then totals per kind."""
    cells = report.coverage()
    levels = [level for level in LEVELS if any(k[1] == level for k in cells)]
    kinds = sorted({kind for _t, _l, kind in cells})
    abbreviation = {kind: kind[:2] for kind in kinds}
    topics = report.topics + sorted({t for t, _l, _k in cells} - set(report.topics))

    def cell(topic: str | None, level: str) -> str:
        counts: Counter[str] = Counter()
        for (t, lvl, kind), n in cells.items():
            if lvl == level and (topic is None or t == topic):
                counts[kind] += n
        total = sum(counts.values())
        if not total:
            return "-"
        detail = " ".join(f"{abbreviation[k]}{counts[k]}" for k in kinds if k in counts)
        return f"{total} ({detail})"

    rows = [["topic", *levels, "all"]]
    for topic in topics:
        total = sum(n for (t, _l, _k), n in cells.items() if t == topic)
        rows.append([topic, *(cell(topic, level) for level in levels), str(total)])
    rows.append(
        ["all", *(cell(None, level) for level in levels), str(len(report.items))]
    )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(value.ljust(widths[i]) for i, value in enumerate(row)).rstrip()
        for row in rows
    ]
    legend = ", ".join(f"{abbreviation[k]} = {k}" for k in kinds)
    return [*lines, f"kinds: {legend}"]
