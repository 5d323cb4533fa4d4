"""Reading and writing the content files (see the package docs)."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from exercises.answer_keys import expand_all
from exercises.content_format.accepted import KINDS as ACCEPTED_KINDS
from exercises.content_format.accepted import payload_with_answer
from exercises.content_format.kinds import (
    AUDIO_SUFFIXES,
    COMMON_FIELDS,
    KEY_RE,
    KIND_FIELDS,
    KIND_VALIDATORS,
    KINDS,
    LANGUAGE_RE,
    LEVELS,
    MAX_READING_TEXT,
    SLUG_RE,
    Invalid,
    clean_text,
    clean_translations,
)
from exercises.text import normalise, strip_map

# libyaml's safe loader when available: the demo seed parses all content on
# every start.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class TopicData:
    slug: str
    name: dict[str, str]
    position: int


@dataclass
class ProfileData:
    language: str
    name: dict[str, str]
    diacritics: str
    confusables: list[list[str]]


@dataclass
class ExerciseData:
    key: str
    language: str
    topic: str
    level: str
    kind: str
    instructions: dict[str, str]
    prompt: str
    hint: dict[str, str]
    explanation: dict[str, str]
    payload: dict[str, Any]
    audio: str = ""  # path relative to the exercise file's directory
    audio_path: Path | None = None
    # What the recording says (target language), shown only after answering.
    transcript: str = ""
    source: str = ""  # the file it came from
    # Answers staff accepted on review, with provenance (see docs/content.md).
    accepted: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Bundle:
    topics: list[TopicData] = field(default_factory=list)
    profiles: list[ProfileData] = field(default_factory=list)
    exercises: list[ExerciseData] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# --- Items and files ------------------------------------------------------------


def parse_item(
    item: Any, *, language: str, topic: str, directory: Path, source: str
) -> ExerciseData:
    if not isinstance(item, dict):
        raise Invalid("each exercise must be a mapping")
    kind = item.get("kind")
    if kind not in KIND_VALIDATORS:
        raise Invalid(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    allowed = set(COMMON_FIELDS) | set(KIND_FIELDS[kind])
    if kind in ACCEPTED_KINDS:
        allowed.add("accepted_on_review")
    unknown = set(item) - allowed
    if unknown:
        names = ", ".join(sorted(map(str, unknown)))
        raise Invalid(f"unknown field(s) for kind {kind}: {names}")
    level = item.get("level")
    if level not in LEVELS:
        raise Invalid(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    prompt = item.get("prompt")
    audio = item.get("audio")
    transcript = item.get("transcript")
    data = ExerciseData(
        key=item["key"],
        language=language,
        topic=topic,
        level=level,
        kind=kind,
        instructions=clean_translations(item.get("instructions"), what="instructions"),
        prompt="" if prompt is None else clean_text(prompt, what="prompt"),
        hint=clean_translations(item.get("hint"), what="hint", required=False),
        explanation=clean_translations(
            item.get("explanation"), what="explanation", required=False
        ),
        payload=KIND_VALIDATORS[kind](item),
        source=source,
    )
    data.accepted = clean_accepted(item.get("accepted_on_review"), data)
    if audio is not None:
        audio = clean_text(audio, what="audio")
        relative = Path(audio)
        if relative.is_absolute() or ".." in relative.parts:
            raise Invalid("audio must be a path inside the content directory")
        if relative.suffix.lower() not in AUDIO_SUFFIXES:
            raise Invalid(f"audio must be one of {', '.join(AUDIO_SUFFIXES)}")
        if not (directory / relative).is_file():
            raise Invalid(f"audio file {audio} does not exist")
        data.audio = relative.as_posix()
        data.audio_path = directory / relative
    if transcript is not None:
        if audio is None:
            raise Invalid("transcript needs an audio recording")
        data.transcript = clean_text(
            transcript, what="transcript", maximum=MAX_READING_TEXT
        )
    return data


def clean_accepted(value: Any, data: "ExerciseData") -> list[dict[str, Any]]:
    """``accepted_on_review``: [{answer, dispute, accepted_by, accepted_at}]."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise Invalid("accepted_on_review must be a list")
    entries = []
    for i, entry in enumerate(value):
        what = f"accepted_on_review[{i}]"
        if not isinstance(entry, dict) or "answer" not in entry:
            raise Invalid(f"{what} must be a mapping with an answer")
        unknown = set(entry) - {"answer", "dispute", "accepted_by", "accepted_at"}
        if unknown:
            raise Invalid(f"{what} has unknown field(s): {', '.join(sorted(unknown))}")
        answer = entry["answer"]
        if data.kind == "cloze":
            blanks = len(data.payload["blanks"])
            if not isinstance(answer, list) or len(answer) != blanks:
                raise Invalid(f"{what}.answer must be a list of {blanks} texts")
            answer = [clean_text(a, what=f"{what}.answer") for a in answer]
        else:
            answer = clean_text(answer, what=f"{what}.answer")
        if payload_with_answer(data.kind, data.payload, answer) is None and not (
            _covered(data, answer)
        ):
            raise Invalid(f"{what}.answer cannot be an answer of this item")
        dispute = entry.get("dispute")
        if dispute is not None and (type(dispute) is not int or dispute < 1):
            raise Invalid(f"{what}.dispute must be a dispute number")
        accepted_at = entry.get("accepted_at")
        if accepted_at is not None and not isinstance(accepted_at, str):
            accepted_at = str(accepted_at)  # YAML reads unquoted timestamps
        entries.append(
            {
                "answer": answer,
                "dispute": dispute,
                "accepted_by": clean_text(
                    entry.get("accepted_by", ""),
                    what=f"{what}.accepted_by",
                    allow_empty=True,
                ),
                "accepted_at": accepted_at or "",
            }
        )
    return entries


def _covered(data: "ExerciseData", answer: Any) -> bool:
    """The answer is already accepted by the item's own keys."""
    if data.kind == "cloze":
        return all(
            normalise(given) in {normalise(a) for a in expand_all(keys)}
            for given, keys in zip(answer, data.payload["blanks"], strict=True)
        )
    return normalise(answer) in {
        normalise(a) for a in expand_all(data.payload["answers"])
    }


def _load_yaml(path: Path, bundle: Bundle) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        reason = str(error).replace("\n", " ")
        bundle.errors.append(f"{path}: -: cannot read the file ({reason})")
        return None


def parse_topics(path: Path, bundle: Bundle) -> None:
    data = _load_yaml(path, bundle)
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        bundle.errors.append(f"{path}: -: must have a list of topics")
        return
    seen = {topic.slug for topic in bundle.topics}
    for position, item in enumerate(data["topics"]):
        slug = item.get("slug") if isinstance(item, dict) else None
        label = slug if isinstance(slug, str) else f"topics[{position}]"
        try:
            if not isinstance(slug, str) or not SLUG_RE.match(slug):
                raise Invalid("slug must be lowercase letters, digits and dashes")
            if slug in seen:
                continue  # the same topics.yaml found twice (PATH and its parent)
            unknown = set(item) - {"slug", "name"}
            if unknown:
                raise Invalid(
                    f"unknown field(s): {', '.join(sorted(map(str, unknown)))}"
                )
            name = clean_translations(item.get("name"), what="name")
        except Invalid as error:
            bundle.errors.append(f"{path}: {label}: {error}")
            continue
        seen.add(slug)
        bundle.topics.append(TopicData(slug=slug, name=name, position=position))


def parse_profile(path: Path, bundle: Bundle) -> None:
    data = _load_yaml(path, bundle)
    if data is None:
        return
    try:
        if not isinstance(data, dict):
            raise Invalid("must be a mapping")
        unknown = set(data) - {"language", "name", "diacritics", "confusables"}
        if unknown:
            raise Invalid(f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
        language = data.get("language")
        if not isinstance(language, str) or not LANGUAGE_RE.match(language):
            raise Invalid("language must be a two-letter ISO 639-1 code")
        diacritics = clean_text(
            data.get("diacritics", ""), what="diacritics", allow_empty=True
        )
        strip = strip_map(diacritics)
        confusables = []
        for i, pair in enumerate(data.get("confusables") or []):
            if not isinstance(pair, list) or len(pair) != 2:
                raise Invalid(f"confusables[{i}] must be a pair of words")
            a = clean_text(pair[0], what=f"confusables[{i}][0]")
            b = clean_text(pair[1], what=f"confusables[{i}][1]")
            if a == b or normalise(a).translate(strip) != normalise(b).translate(strip):
                raise Invalid(
                    f"confusables[{i}] ({a}, {b}) must differ only in diacritics"
                )
            confusables.append([a, b])
        name = clean_translations(data.get("name"), what="name")
    except Invalid as error:
        bundle.errors.append(f"{path}: -: {error}")
        return
    if any(profile.language == language for profile in bundle.profiles):
        return
    bundle.profiles.append(
        ProfileData(
            language=language,
            name=name,
            diacritics=diacritics,
            confusables=confusables,
        )
    )


def parse_exercise_file(path: Path, bundle: Bundle, seen: dict[str, Path]) -> None:
    data = _load_yaml(path, bundle)
    if data is None:
        return
    if not isinstance(data, dict):
        bundle.errors.append(f"{path}: -: must be a mapping")
        return
    language, topic = data.get("language"), data.get("topic")
    header_errors = []
    if not isinstance(language, str) or not LANGUAGE_RE.match(language):
        header_errors.append("language must be a two-letter ISO 639-1 code")
    if not isinstance(topic, str) or not SLUG_RE.match(topic):
        header_errors.append("topic must be a topic slug")
    if not isinstance(data.get("exercises"), list):
        header_errors.append("exercises must be a list")
    unknown = set(data) - {"language", "topic", "exercises"}
    if unknown:
        header_errors.append(
            f"unknown field(s): {', '.join(sorted(map(str, unknown)))}"
        )
    if header_errors:
        bundle.errors.extend(f"{path}: -: {reason}" for reason in header_errors)
        return
    for index, item in enumerate(data["exercises"]):
        key = item.get("key") if isinstance(item, dict) else None
        if not isinstance(key, str) or not KEY_RE.match(key):
            bundle.errors.append(
                f"{path}: exercises[{index}]: key must be lowercase letters, digits, "
                "dots, dashes or underscores (up to 100)"
            )
            continue
        if key in seen:
            bundle.errors.append(f"{path}: {key}: duplicate key (also in {seen[key]})")
            continue
        seen[key] = path
        try:
            bundle.exercises.append(
                parse_item(
                    item,
                    language=language,
                    topic=topic,
                    directory=path.parent,
                    source=str(path),
                )
            )
        except Invalid as error:
            bundle.errors.append(f"{path}: {key}: {error}")


def _is_exercise_file(path: Path) -> bool:
    return (
        path.suffix in (".yaml", ".yml")
        and not path.name.startswith("_")
        and path.stem != "topics"
    )


def load(
    paths: list[Path],
    *,
    known_topics: set[str] = frozenset(),
    known_languages: set[str] = frozenset(),
) -> Bundle:
    """Read and validate content from files and directories.

    ``topics.yaml`` is read from each PATH (if a directory) and its parent, and
    ``_profile.yaml`` from each exercise file's directory. ``known_topics`` and
    ``known_languages`` are what the database already has, so a single file can
    be imported on its own.
    """
    bundle = Bundle()
    exercise_files: list[Path] = []
    topic_files: list[Path] = []
    profile_files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            topic_files += [path.parent / "topics.yaml", path / "topics.yaml"]
        elif path.is_file():
            files = [path]
            topic_files += [
                path.parent.parent / "topics.yaml",
                path.parent / "topics.yaml",
            ]
        else:
            bundle.errors.append(f"{path}: -: no such file or directory")
            continue
        for file in files:
            if file.name in ("topics.yaml", "topics.yml"):
                topic_files.append(file)
            elif file.name in ("_profile.yaml", "_profile.yml"):
                profile_files.append(file)
            elif _is_exercise_file(file):
                exercise_files.append(file)
                profile_files.append(file.parent / "_profile.yaml")

    for file in _unique_existing(topic_files):
        parse_topics(file, bundle)
    for file in _unique_existing(profile_files):
        parse_profile(file, bundle)
    seen: dict[str, Path] = {}
    for file in _unique_existing(exercise_files):
        parse_exercise_file(file, bundle, seen)

    topics = set(known_topics) | {topic.slug for topic in bundle.topics}
    languages = set(known_languages) | {p.language for p in bundle.profiles}
    for exercise in bundle.exercises:
        if exercise.topic not in topics:
            bundle.errors.append(
                f"{exercise.source}: {exercise.key}: unknown topic {exercise.topic!r} "
                "(not in topics.yaml)"
            )
        if exercise.language not in languages:
            bundle.errors.append(
                f"{exercise.source}: {exercise.key}: no _profile.yaml for language "
                f"{exercise.language!r}"
            )
    return bundle


def _unique_existing(files: list[Path]) -> list[Path]:
    result: dict[Path, None] = {}
    for file in files:
        if file.is_file():
            result.setdefault(file.resolve(), None)
    return list(result)


# --- Writing --------------------------------------------------------------------


def item_dump(exercise: ExerciseData) -> dict[str, Any]:
    """One exercise as the content format writes it (field order as documented)."""
    item: dict[str, Any] = {
        "key": exercise.key,
        "level": exercise.level,
        "kind": exercise.kind,
        "instructions": exercise.instructions,
    }
    if exercise.prompt:
        item["prompt"] = exercise.prompt
    if exercise.hint:
        item["hint"] = exercise.hint
    if exercise.explanation:
        item["explanation"] = exercise.explanation
    if exercise.audio:
        item["audio"] = exercise.audio
    if exercise.transcript:
        item["transcript"] = exercise.transcript
    for name in KIND_FIELDS[exercise.kind]:
        item[name] = exercise.payload[name]
    if exercise.accepted:
        item["accepted_on_review"] = [
            {key: value for key, value in entry.items() if value not in (None, "")}
            for entry in exercise.accepted
        ]
    return item


class _Dumper(yaml.SafeDumper):
    """Writes multi-line texts (reading texts, transcripts) as ``|`` blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value and not any(line != line.rstrip() for line in value.split("\n")):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def yaml_dump(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )
