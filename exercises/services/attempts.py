"""Recording and grading attempts."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.api.errors import ApiError, Conflict, InvalidInput, NotFound
from exercises.grading import Grade, GradingProfile, grade
from exercises.kinds import answer_parse
from exercises.models import (
    Attempt,
    Exercise,
    LanguageProfile,
    PracticeDay,
    ReviewCard,
)
from exercises.services.scheduling import review_card_apply_attempt

# A phone's clock may run a little fast: up to this much "future" is clamped to now.
CLOCK_SKEW = timedelta(minutes=5)
MAX_DURATION_MS = 60 * 60 * 1000


def offline_max_age() -> timedelta:
    return timedelta(days=getattr(settings, "EXERCISES_OFFLINE_MAX_AGE_DAYS", 30))


def grading_profile_load(*, language: str) -> GradingProfile:
    profile = LanguageProfile.objects.filter(language=language).first()
    if profile is None:
        return GradingProfile(language=language)
    return GradingProfile(
        diacritics=profile.diacritics,
        confusables=profile.confusables,
        language=language,
    )


def exercise_grade(*, exercise: Exercise, answer: object) -> Grade:
    """Check the answer's shape (400 if wrong) and grade it.

    Pure apart from loading the exercise's language profile.
    """
    parsed = answer_parse(exercise, answer)
    return grade(
        exercise.kind,
        exercise.payload,
        parsed,
        grading_profile_load(language=exercise.language),
    )


def _answered_at(value: datetime | None, *, now: datetime, user) -> datetime:
    if value is None:
        return now
    joined = user.date_joined
    if value < joined - CLOCK_SKEW:
        # Practice before the account existed would invent streak days.
        message = _("answered_at is before this account was created.")
        raise InvalidInput(
            message,
            code="answered_at_before_account",
            fields={"answered_at": [str(message)]},
        )
    if value > now + CLOCK_SKEW:
        raise InvalidInput(
            _("answered_at is in the future."),
            code="answered_at_in_future",
            fields={"answered_at": [str(_("answered_at is in the future."))]},
        )
    if value < now - offline_max_age():
        message = _("answered_at is too long ago to be recorded.")
        raise InvalidInput(
            message, code="answered_at_too_old", fields={"answered_at": [str(message)]}
        )
    return min(max(value, joined), now)


def _attach_next_review(attempt: Attempt) -> Attempt:
    card = (
        ReviewCard.objects.filter(user_id=attempt.user_id, exercise=attempt.exercise_id)
        .only("due_at")
        .first()
    )
    attempt.next_review_at = card.due_at if card else None
    return attempt


def _existing(
    *, user, client_attempt_id: uuid.UUID, exercise_id: int
) -> Attempt | None:
    attempt = (
        Attempt.objects.select_related("exercise")
        .filter(user=user, client_attempt_id=client_attempt_id)
        .first()
    )
    if attempt is not None and attempt.exercise_id != exercise_id:
        raise Conflict(
            _("This client_attempt_id was already used for another exercise."),
            code="client_attempt_id_reused",
        )
    return attempt


def practice_day_record(*, user, language: str, at: datetime) -> None:
    """Mark the day of ``at`` (in the user's time zone) as practised in the
    language: one statement, nothing if already marked."""
    PracticeDay.objects.bulk_create(
        [
            PracticeDay(
                user=user, language=language, day=at.astimezone(user.zone).date()
            )
        ],
        ignore_conflicts=True,
    )


def attempt_create(
    *,
    user,
    exercise_id: int,
    answer: object,
    client_attempt_id: uuid.UUID,
    answered_at: datetime | None = None,
    duration_ms: int | None = None,
) -> tuple[Attempt, bool]:
    """Grade and record an attempt; returns (attempt, created).

    The same ``client_attempt_id`` again returns the first attempt unchanged
    (``created`` False). ``answered_at`` up to five minutes ahead is clamped to
    now; later is refused (``answered_at_in_future``), and so is an attempt
    older than EXERCISES_OFFLINE_MAX_AGE_DAYS (``answered_at_too_old``) or from
    before the account was created (``answered_at_before_account``; up to five
    minutes before is clamped to the creation time, for a slow clock).
    """
    # A retry is rare: it is found by the insert's unique constraint (or by a
    # refusal below), not looked up before every new attempt.
    try:
        exercise = Exercise.objects.filter(pk=exercise_id, is_active=True).first()
        if exercise is None:
            raise NotFound()
        now = timezone.now()
        at = _answered_at(answered_at, now=now, user=user)
        if duration_ms is not None and not 0 <= duration_ms <= MAX_DURATION_MS:
            message = _("duration_ms must be between 0 and one hour.")
            raise InvalidInput(message, fields={"duration_ms": [str(message)]})
        result = exercise_grade(exercise=exercise, answer=answer)
    except ApiError:
        # The exercise retired, the attempt now too old...: a retry of a stored
        # attempt still gets the stored one back.
        existing = _existing(
            user=user, client_attempt_id=client_attempt_id, exercise_id=exercise_id
        )
        if existing is not None:
            return _attach_next_review(existing), False
        raise

    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                user=user,
                exercise=exercise,
                answer=answer,
                verdict=result.verdict,
                feedback=result.feedback,
                client_attempt_id=client_attempt_id,
                answered_at=at,
                duration_ms=duration_ms,
            )
            card = review_card_apply_attempt(attempt=attempt)
            practice_day_record(user=user, language=exercise.language, at=at)
    except IntegrityError:
        # The same client_attempt_id raced in from a retry: return the winner.
        existing = _existing(
            user=user, client_attempt_id=client_attempt_id, exercise_id=exercise_id
        )
        if existing is None:
            raise
        return _attach_next_review(existing), False
    attempt.next_review_at = card.due_at
    # Just created, so it has no dispute: spare the serializer the query.
    Attempt._meta.get_field("dispute").set_cached_value(attempt, None)
    return attempt, True
