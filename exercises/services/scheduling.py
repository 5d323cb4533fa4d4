"""Spaced repetition with FSRS: one review card per user and exercise.

Verdicts become ratings (correct → Good, almost → Hard, incorrect → Again).
A card's state is a pure function of the user's attempts at the exercise in
``answered_at`` order, so an offline attempt older than the card's last review
is applied by replaying all of them (``card_replay``); a newer one is applied
on top of the stored state. Fuzzing is off so that a replay is reproducible.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from fsrs import Card, Rating, Scheduler, State

from exercises.models import Attempt, Exercise, ReviewCard

SCHEDULER = Scheduler(enable_fuzzing=False)
KNOWN_RETRIEVABILITY = 0.9

RATINGS = {
    Attempt.Verdict.CORRECT: Rating.Good,
    Attempt.Verdict.ALMOST: Rating.Hard,
    Attempt.Verdict.INCORRECT: Rating.Again,
}


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def card_new(*, due_at: datetime) -> Card:
    # An explicit card_id: fsrs otherwise sleeps a millisecond to make one up.
    return Card(card_id=1, due=_utc(due_at))


def card_load(state: dict, *, due_at: datetime) -> Card:
    return Card.from_dict(state) if state else card_new(due_at=due_at)


def card_review(card: Card, *, verdict: str, at: datetime) -> Card:
    card, _log = SCHEDULER.review_card(card, RATINGS[verdict], review_datetime=_utc(at))
    return card


def card_replay(
    *, created_at: datetime, reviews: Iterable[tuple[datetime, str]]
) -> Card:
    """The card after the given (answered_at, verdict) reviews, oldest first."""
    card = card_new(due_at=created_at)
    for at, verdict in sorted(reviews, key=lambda review: review[0]):
        card = card_review(card, verdict=verdict, at=at)
    return card


def card_retrievability(state: dict, *, now: datetime) -> float:
    if not state:
        return 0.0
    return float(SCHEDULER.get_card_retrievability(Card.from_dict(state), _utc(now)))


def card_is_known(state: dict, *, now: datetime) -> bool:
    """Known: FSRS has graduated the card (Review state, so not just failed or
    still in its first learning steps) and its retrievability is at least 0.9.

    Retrievability alone would call every card reviewed today known, failed
    ones included, because fsrs counts elapsed time in whole days.
    """
    if not state or state.get("state") != State.Review.value:
        return False
    return card_retrievability(state, now=now) >= KNOWN_RETRIEVABILITY


def review_card_store(review_card: ReviewCard, card: Card, *, reviews: int) -> None:
    review_card.state = card.to_dict()
    review_card.due_at = card.due
    review_card.last_review_at = card.last_review
    review_card.reviews = reviews


def review_card_apply_attempt(*, attempt: Attempt) -> ReviewCard:
    """Move the user's card for the attempt's exercise (call inside a transaction).

    Creates the card on the first attempt. An attempt answered before the
    card's last review is applied by replaying every attempt in time order.
    """
    review_card, _created = ReviewCard.objects.select_for_update().get_or_create(
        user_id=attempt.user_id,
        exercise_id=attempt.exercise_id,
        defaults={"due_at": attempt.answered_at, "source": ReviewCard.Source.PRACTICE},
    )
    if review_card.last_review_at is None or (
        attempt.answered_at >= review_card.last_review_at
    ):
        card = card_load(review_card.state, due_at=review_card.due_at)
        card = card_review(card, verdict=attempt.verdict, at=attempt.answered_at)
        review_card_store(review_card, card, reviews=review_card.reviews + 1)
        review_card.correct += attempt.verdict == Attempt.Verdict.CORRECT
        review_card.practice_ms += attempt.duration_ms or 0
    else:
        review_card_replay(review_card=review_card)
        return review_card
    review_card.save(update_fields=[*_STORED_FIELDS, "correct", "practice_ms"])
    return review_card


_STORED_FIELDS = ["state", "due_at", "last_review_at", "reviews"]


def review_card_replay(*, review_card: ReviewCard) -> ReviewCard:
    """Recompute a card from all its attempts (after an offline or re-graded one)."""
    rows = list(
        Attempt.objects.filter(
            user_id=review_card.user_id, exercise_id=review_card.exercise_id
        )
        .order_by("answered_at", "id")
        .values_list("answered_at", "verdict", "duration_ms")
    )
    reviews = [(answered_at, verdict) for answered_at, verdict, _ms in rows]
    card = card_replay(created_at=review_card.created_at, reviews=reviews)
    review_card_store(review_card, card, reviews=len(reviews))
    review_card.correct = sum(v == Attempt.Verdict.CORRECT for _at, v in reviews)
    review_card.practice_ms = sum(ms or 0 for _at, _v, ms in rows)
    if not reviews:
        review_card.state = {}
        review_card.due_at = review_card.created_at
        review_card.last_review_at = None
    review_card.save(update_fields=[*_STORED_FIELDS, "correct", "practice_ms"])
    return review_card


def review_cards_add(*, user, exercises: Iterable[Exercise | int]) -> int:
    """Put exercises into the user's review queue, due now.

    Exercises the user already has a card for keep their card unchanged.
    Returns how many cards were added. Used by clubs when a host marks someone
    as attended.
    """
    if isinstance(exercises, QuerySet):
        ids = set(exercises.values_list("pk", flat=True))
    else:
        ids = {item if isinstance(item, int) else item.pk for item in exercises}
    if not ids:
        return 0
    now = timezone.now()
    with transaction.atomic():
        existing = set(
            ReviewCard.objects.filter(user=user, exercise_id__in=ids).values_list(
                "exercise_id", flat=True
            )
        )
        missing = sorted(ids - existing)
        ReviewCard.objects.bulk_create(
            [
                ReviewCard(
                    user=user,
                    exercise_id=exercise_id,
                    source=ReviewCard.Source.ADDED,
                    due_at=now,
                )
                for exercise_id in missing
            ],
            ignore_conflicts=True,
        )
    return len(missing)
