"""Import and export of content files (format: ``exercises.content_format``).

Import validates everything first and changes nothing when anything is wrong;
otherwise it upserts topics, language profiles and exercises by their keys in
one transaction. Re-importing the same files changes nothing. ``is_active`` is
managed in the admin only: import never switches an exercise back on.

Staff decisions are kept: answers accepted on review (``AcceptedAnswer``, and
a file's ``accepted_on_review``) are added to the file's payload at every
import, and export writes them back as ``accepted_on_review`` with their
provenance (the dispute, who accepted it, when).
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from exercises import content_format
from exercises.content_format import ExerciseData
from exercises.content_format.accepted import (
    payload_with_answer,
    payload_without_answer,
)
from exercises.models import AcceptedAnswer, Exercise, LanguageProfile, Topic

AUDIO_PREFIX = "exercises/audio"
EXERCISE_FIELDS = (
    "language",
    "level",
    "topic_id",
    "kind",
    "prompt",
    "instructions",
    "hint",
    "explanation",
    "transcript",
    "payload",
)


class ContentInvalid(Exception):
    """The content has errors; ``errors`` lists every one as ``file: key: reason``."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} error(s) in the content")
        self.errors = errors


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


@dataclass
class ImportReport:
    exercises: Counts = field(default_factory=Counts)
    topics: Counts = field(default_factory=Counts)
    profiles: Counts = field(default_factory=Counts)

    def lines(self) -> list[str]:
        return [
            f"exercises: {self.exercises}",
            f"topics: {self.topics}",
            f"language profiles: {self.profiles}",
        ]


def _upsert(model, lookup: dict, values: dict, counts: Counts) -> Any:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        counts.created += 1
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        counts.updated += 1
    else:
        counts.unchanged += 1
    return obj


def _audio_name(data: ExerciseData) -> str:
    return f"{AUDIO_PREFIX}/{data.language}/{data.audio}" if data.audio else ""


def _audio_store(data: ExerciseData) -> bool:
    """Copy the audio file into storage; True if the stored file changed."""
    if not data.audio or data.audio_path is None:
        return False
    name = _audio_name(data)
    content = data.audio_path.read_bytes()
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            if handle.read() == content:
                return False
        default_storage.delete(name)
    default_storage.save(name, ContentFile(content))
    return True


def _exercise_values(data: ExerciseData, topic_ids: dict[str, int]) -> dict[str, Any]:
    return {
        "language": data.language,
        "level": data.level,
        "topic_id": topic_ids[data.topic],
        "kind": data.kind,
        "prompt": data.prompt,
        "instructions": data.instructions,
        "hint": data.hint,
        "explanation": data.explanation,
        "transcript": data.transcript,
        "payload": data.payload,
    }


def content_import(*, paths: list[Path]) -> ImportReport:
    """Validate and import content files or directories (see module docs).

    Raises ContentInvalid, with every error, before changing anything.
    """
    bundle = content_format.load(
        [Path(p) for p in paths],
        known_topics=set(Topic.objects.values_list("slug", flat=True)),
        known_languages=set(LanguageProfile.objects.values_list("language", flat=True)),
    )
    if bundle.errors:
        raise ContentInvalid(bundle.errors)
    report = ImportReport()
    with transaction.atomic():
        for topic in bundle.topics:
            _upsert(
                Topic,
                {"slug": topic.slug},
                {"name": topic.name, "position": topic.position},
                report.topics,
            )
        for profile in bundle.profiles:
            _upsert(
                LanguageProfile,
                {"language": profile.language},
                {
                    "name": profile.name,
                    "diacritics": profile.diacritics,
                    "confusables": profile.confusables,
                },
                report.profiles,
            )
        _import_exercises(bundle.exercises, report.exercises)
    return report


def _with_accepted(data: ExerciseData, kept: list[AcceptedAnswer]) -> dict:
    """The file's payload plus every answer accepted on review: the file's own
    ``accepted_on_review`` and the decisions this database keeps."""
    payload = data.payload
    answers = [entry["answer"] for entry in data.accepted] + [a.answer for a in kept]
    for answer in answers:
        payload = payload_with_answer(data.kind, payload, answer) or payload
    return payload


def _keep_file_decisions(items: list[ExerciseData], kept: dict[str, list]) -> None:
    """Record the file's accepted answers this database does not know yet."""
    with_entries = [item for item in items if item.accepted]
    if not with_entries:
        return
    ids = dict(
        Exercise.objects.filter(key__in=[i.key for i in with_entries]).values_list(
            "key", "pk"
        )
    )
    new = []
    for data in with_entries:
        known = [a.answer for a in kept.get(data.key, [])]
        for entry in data.accepted:
            if entry["answer"] in known:
                continue
            known.append(entry["answer"])
            accepted_at = parse_datetime(entry["accepted_at"] or "") or timezone.now()
            new.append(
                AcceptedAnswer(
                    exercise_id=ids[data.key],
                    answer=entry["answer"],
                    accepted_at=accepted_at,
                    source={
                        "dispute": entry["dispute"],
                        "accepted_by": entry["accepted_by"],
                    },
                )
            )
    AcceptedAnswer.objects.bulk_create(new)


def _import_exercises(items: list[ExerciseData], counts: Counts) -> None:
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    existing = {
        exercise.key: exercise
        for exercise in Exercise.objects.filter(key__in=[item.key for item in items])
    }
    kept: dict[str, list[AcceptedAnswer]] = {}
    for accepted in AcceptedAnswer.objects.filter(
        exercise__key__in=list(existing)
    ).select_related("exercise"):
        kept.setdefault(accepted.exercise.key, []).append(accepted)
    to_create, to_update = [], []
    now = timezone.now()
    for data in items:
        values = _exercise_values(data, topic_ids)
        values["payload"] = _with_accepted(data, kept.get(data.key, []))
        audio_changed = _audio_store(data)
        exercise = existing.get(data.key)
        if exercise is None:
            to_create.append(Exercise(key=data.key, audio=_audio_name(data), **values))
            continue
        changed = [n for n in EXERCISE_FIELDS if getattr(exercise, n) != values[n]]
        for name in changed:
            setattr(exercise, name, values[name])
        if exercise.audio.name != _audio_name(data) or audio_changed:
            exercise.audio.name = _audio_name(data)
            changed.append("audio")
        if changed:
            exercise.updated_at = now
            to_update.append(exercise)
        else:
            counts.unchanged += 1
    Exercise.objects.bulk_create(to_create, batch_size=200)
    if to_update:
        Exercise.objects.bulk_update(
            to_update, [*EXERCISE_FIELDS, "audio", "updated_at"], batch_size=200
        )
    counts.created += len(to_create)
    counts.updated += len(to_update)
    _keep_file_decisions(items, kept)


# --- Export ---------------------------------------------------------------------


def _exercise_data(exercise: Exercise) -> ExerciseData:
    audio = ""
    if exercise.audio:
        prefix = f"{AUDIO_PREFIX}/{exercise.language}/"
        name = exercise.audio.name
        audio = name[len(prefix) :] if name.startswith(prefix) else Path(name).name
    payload, accepted = exercise.payload, []
    for kept in exercise.accepted_answers.all():
        payload = payload_without_answer(exercise.kind, payload, kept.answer)
        judge = kept.accepted_by.email if kept.accepted_by else ""
        accepted.append(
            {
                "answer": kept.answer,
                "dispute": kept.dispute_id or kept.source.get("dispute"),
                "accepted_by": judge or kept.source.get("accepted_by", ""),
                "accepted_at": kept.accepted_at.isoformat(),
            }
        )
    return ExerciseData(
        key=exercise.key,
        language=exercise.language,
        topic=exercise.topic.slug,
        level=exercise.level,
        kind=exercise.kind,
        instructions=exercise.instructions,
        prompt=exercise.prompt,
        hint=exercise.hint,
        explanation=exercise.explanation,
        payload=payload,
        audio=audio,
        transcript=exercise.transcript,
        accepted=accepted,
    )


def content_export(*, language: str, outdir: Path) -> list[Path]:
    """Write ``topics.yaml`` and ``<language>/`` files under ``outdir``.

    Exports active exercises; returns the files written.
    """
    outdir = Path(outdir)
    folder = outdir / language
    folder.mkdir(parents=True, exist_ok=True)
    written = []

    topics = [{"slug": topic.slug, "name": topic.name} for topic in Topic.objects.all()]
    path = outdir / "topics.yaml"
    path.write_text(content_format.yaml_dump({"topics": topics}), encoding="utf-8")
    written.append(path)

    profile = LanguageProfile.objects.filter(language=language).first()
    if profile is not None:
        path = folder / "_profile.yaml"
        data = {
            "language": profile.language,
            "name": profile.name,
            "diacritics": profile.diacritics,
            "confusables": profile.confusables,
        }
        path.write_text(content_format.yaml_dump(data), encoding="utf-8")
        written.append(path)

    by_topic: dict[str, list[ExerciseData]] = {}
    exercises = (
        Exercise.objects.filter(language=language, is_active=True)
        .select_related("topic")
        .prefetch_related("accepted_answers__accepted_by")
        .order_by("topic__position", "topic__slug", "key")
    )
    for exercise in exercises:
        data = _exercise_data(exercise)
        by_topic.setdefault(data.topic, []).append(data)
        if data.audio:
            target = folder / data.audio
            target.parent.mkdir(parents=True, exist_ok=True)
            with exercise.audio.open("rb") as handle:
                target.write_bytes(handle.read())
    for topic, items in by_topic.items():
        path = folder / f"{topic}.yaml"
        document = {
            "language": language,
            "topic": topic,
            "exercises": [content_format.item_dump(item) for item in items],
        }
        path.write_text(content_format.yaml_dump(document), encoding="utf-8")
        written.append(path)
    return written
