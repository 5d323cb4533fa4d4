"""Reads: exercise lists, the review queue, progress, the dispute queue."""

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery

from backend.accounts.models import Level
from exercises.models import (
    Attempt,
    Dispute,
    Exercise,
    PracticeDay,
    ReviewCard,
    Topic,
)
from exercises.services.scheduling import card_is_known

STREAK_WINDOW_DAYS = 400


def new_per_day() -> int:
    return getattr(settings, "EXERCISES_NEW_PER_DAY", 10)


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.all()


def exercise_list(
    *,
    language: str | None = None,
    level: str | None = None,
    topic: str | None = None,
    kind: str | None = None,
) -> QuerySet[Exercise]:
    qs = Exercise.objects.filter(is_active=True).select_related("topic")
    if language:
        qs = qs.filter(language=language)
    if level:
        qs = qs.filter(level=level)
    if topic:
        qs = qs.filter(topic__slug=topic)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("language", "level", "topic__position", "key")


def attempt_list_for_owner(
    *, user, exercise_id: int | None = None
) -> QuerySet[Attempt]:
    """My attempts, each with ``next_review_at``: its exercise's card's due time."""
    next_review = ReviewCard.objects.filter(
        user_id=OuterRef("user_id"), exercise_id=OuterRef("exercise_id")
    ).values("due_at")[:1]
    qs = (
        Attempt.objects.filter(user=user)
        .select_related("exercise__topic", "dispute")
        .annotate(next_review_at=Subquery(next_review))
    )
    if exercise_id is not None:
        qs = qs.filter(exercise_id=exercise_id)
    return qs.order_by("-answered_at", "-id")


# --- Review queue -----------------------------------------------------------------


@dataclass
class DueItem:
    exercise: Exercise
    due_at: datetime | None
    is_new: bool


def _start_of_day(now: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    local = now.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def review_due_list(
    *, user, language: str, limit: int, now: datetime
) -> tuple[list[DueItem], int]:
    """Due cards, most overdue first, then new exercises at the user's level
    (up to the daily quota) in the room left. Returns (items, due total).

    A fixed number of queries whatever the limit.
    """
    due_qs = ReviewCard.objects.filter(
        user=user,
        exercise__language=language,
        exercise__is_active=True,
        due_at__lte=now,
    )
    due_total = due_qs.count()
    cards = list(
        due_qs.select_related("exercise__topic").order_by("due_at", "id")[:limit]
    )
    items = [DueItem(card.exercise, card.due_at, False) for card in cards]
    room = limit - len(items)
    if room > 0:
        started_today = ReviewCard.objects.filter(
            user=user,
            exercise__language=language,
            source=ReviewCard.Source.PRACTICE,
            created_at__gte=_start_of_day(now, user.zone),
        ).count()
        room = min(room, max(0, new_per_day() - started_today))
    if room > 0:
        new = (
            Exercise.objects.filter(
                language=language, level=user.level or Level.A1, is_active=True
            )
            .exclude(pk__in=ReviewCard.objects.filter(user=user).values("exercise_id"))
            .select_related("topic")
            .order_by("topic__position", "key")[:room]
        )
        items += [DueItem(exercise, None, True) for exercise in new]
    return items, due_total


# --- Progress ---------------------------------------------------------------------


def _streak(days: set[date], today: date) -> int:
    """Consecutive days with practice ending today (or yesterday: still alive)."""
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def _row(exercises: int = 0) -> dict[str, Any]:
    return {
        "exercises": exercises,
        "attempted": 0,
        "attempts": 0,
        "correct": 0,
        "due": 0,
        "known": 0,
        "practice_time_ms": 0,
    }


def _add(total: dict[str, Any], row: dict[str, Any]) -> None:
    for name, value in row.items():
        if isinstance(value, int):
            total[name] += value


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    attempts = row["attempts"]
    row["accuracy"] = round(row["correct"] / attempts, 3) if attempts else None
    return row


def progress_get(*, user, language: str, now: datetime) -> dict[str, Any]:
    """Per level and topic: exercises, attempted, attempts, accuracy, due,
    known, practice time; plus the day streak in the user's time zone.
    Four queries whatever the amount of data.
    """
    rows: dict[tuple[str, int], dict[str, Any]] = defaultdict(_row)
    for level, topic_id, count in (
        Exercise.objects.filter(language=language, is_active=True)
        .values_list("level", "topic_id")
        .annotate(count=Count("id"))
        .order_by()
    ):
        rows[(level, topic_id)]["exercises"] = count

    # Attempt totals come from each card's running totals (kept by the attempt
    # service) and the streak from the practised days: no scan of attempts.
    for (
        level,
        topic_id,
        state,
        due_at,
        reviews,
        correct,
        practice_ms,
    ) in ReviewCard.objects.filter(user=user, exercise__language=language).values_list(
        "exercise__level",
        "exercise__topic_id",
        "state",
        "due_at",
        "reviews",
        "correct",
        "practice_ms",
    ):
        row = rows[(level, topic_id)]
        row["due"] += due_at <= now
        row["known"] += card_is_known(state, now=now)
        row["attempted"] += reviews > 0
        row["attempts"] += reviews
        row["correct"] += correct
        row["practice_time_ms"] += practice_ms

    zone = user.zone
    today = now.astimezone(zone).date()
    days = set(
        PracticeDay.objects.filter(
            user=user,
            language=language,
            day__gte=today - timedelta(days=STREAK_WINDOW_DAYS),
        ).values_list("day", flat=True)
    )

    topics = {topic.pk: topic for topic in Topic.objects.all()}
    levels = []
    totals = _row()
    for level in Level.values:
        keys = sorted(
            (key for key in rows if key[0] == level),
            key=lambda key: (topics[key[1]].position, topics[key[1]].slug),
        )
        if not keys:
            continue
        level_total = _row()
        topic_rows = []
        for key in keys:
            _add(level_total, rows[key])
            topic = topics[key[1]]
            topic_rows.append(
                {"topic": topic.slug, "name": topic.name, **_finish(dict(rows[key]))}
            )
        _add(totals, level_total)
        levels.append({"level": level, **_finish(level_total), "topics": topic_rows})
    return {
        "language": language,
        "level": user.level,
        "streak_days": _streak(days, today),
        "practice_time_ms": totals["practice_time_ms"],
        "totals": _finish(totals),
        "levels": levels,
    }


# --- Disputes ---------------------------------------------------------------------


def dispute_list(
    *, status: str | None = Dispute.Status.PENDING, language: str | None = None
) -> QuerySet[Dispute]:
    qs = Dispute.objects.select_related(
        "attempt__exercise__topic", "user", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    if language:
        qs = qs.filter(attempt__exercise__language=language)
    return qs.order_by("created_at", "id")


def dispute_list_for_owner(*, user) -> QuerySet[Dispute]:
    """My disputes, newest first, with their outcome and the judge's reason."""
    return (
        Dispute.objects.filter(user=user)
        .select_related("attempt")
        .order_by("-created_at", "-id")
    )
