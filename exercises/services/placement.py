"""The adaptive placement test.

At most ``PLACEMENT_MAX_ITEMS`` items of the kinds answered without typing
(choice, order, match), none the learner has attempted before. It starts at
the profile level (A2 when unset), moves one level up after a right answer
(correct or almost) and one down after a wrong one; when a level has no unseen
item the nearest level that has one is used. The result is the highest level
where the learner answered at least two items and more than half of them
right (A1 when no level qualifies); it becomes the profile level.
"""

import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import Level, User
from backend.accounts.services import user_update_profile
from backend.api.errors import Conflict, NotFound
from exercises.access import placement_get_for_owner
from exercises.models import Attempt, Exercise, PlacementTest
from exercises.services.attempts import exercise_grade

PLACEMENT_MAX_ITEMS = 15
PLACEMENT_KINDS = (Exercise.Kind.CHOICE, Exercise.Kind.ORDER, Exercise.Kind.MATCH)
START_LEVEL = Level.A2
LEVELS: list[str] = list(Level.values)
MIN_ITEMS_FOR_RESULT = 2


def _candidates(*, test: PlacementTest, user) -> list[tuple[int, str]]:
    used = {item["exercise"] for item in test.items}
    rows = (
        Exercise.objects.filter(
            language=test.language, kind__in=PLACEMENT_KINDS, is_active=True
        )
        .exclude(pk__in=Attempt.objects.filter(user=user).values("exercise_id"))
        .order_by("key")
        .values_list("pk", "level")
    )
    return [(pk, level) for pk, level in rows if pk not in used]


def _pick(*, test: PlacementTest, user, level: str) -> tuple[int, str] | None:
    """An unseen item at ``level``, or at the nearest level that has one."""
    candidates = _candidates(test=test, user=user)
    if not candidates:
        return None
    target = LEVELS.index(level)
    by_distance = sorted(
        {lvl for _pk, lvl in candidates},
        key=lambda lvl: (abs(LEVELS.index(lvl) - target), LEVELS.index(lvl)),
    )
    chosen_level = by_distance[0]
    pool = [pk for pk, lvl in candidates if lvl == chosen_level]
    # Seeded by the test and the item number: resuming shows the same item.
    rng = random.Random(f"placement:{test.pk}:{len(test.items)}")
    return rng.choice(pool), chosen_level


def placement_result(items: list[dict]) -> tuple[str, list[dict]]:
    """(result level, per-level summary) for the answered items."""
    summary = []
    for level in LEVELS:
        answered = [item for item in items if item["level"] == level]
        if answered:
            right = sum(1 for item in answered if item["right"])
            summary.append({"level": level, "answered": len(answered), "right": right})
    qualifying = [
        row["level"]
        for row in summary
        if row["answered"] >= MIN_ITEMS_FOR_RESULT
        and row["right"] * 2 > row["answered"]
    ]
    return (qualifying[-1] if qualifying else Level.A1), summary


@transaction.atomic
def placement_start(*, user, language: str) -> tuple[PlacementTest, bool]:
    """Start a test, or return the running one for that language (to resume).

    Parallel starts by one user are serialised on the user's row: a lock on
    the (not yet existing) running test would lock nothing, and the losers
    would hit the one-running-test constraint. Each caller then gets the one
    test the first created.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    running = (
        PlacementTest.objects.select_for_update()
        .filter(user=user, language=language, status=PlacementTest.Status.IN_PROGRESS)
        .first()
    )
    if running is not None:
        return running, False
    level = user.level or START_LEVEL
    test = PlacementTest.objects.create(
        user=user, language=language, current_level=level
    )
    picked = _pick(test=test, user=user, level=level)
    if picked is None:
        raise Conflict(
            _("There are no placement exercises for this language yet."),
            code="no_placement_content",
        )
    test.current_exercise_id, test.current_level = picked
    test.save(update_fields=["current_exercise", "current_level"])
    return placement_get_for_owner(user=user, test_id=test.pk), True


@transaction.atomic
def placement_answer(
    *, user, test_id: int, exercise_id: int, answer: object
) -> PlacementTest:
    test = (
        PlacementTest.objects.select_for_update(of=("self",))
        .select_related("current_exercise")
        .filter(pk=test_id, user=user)
        .first()
    )
    if test is None:
        raise NotFound()
    if test.status == PlacementTest.Status.FINISHED:
        raise Conflict(_("This placement test is finished."), code="placement_finished")
    if test.current_exercise_id is None or exercise_id != test.current_exercise_id:
        raise Conflict(
            _("Answer the current item of the test."),
            code="not_current_item",
            extra={"current_exercise": test.current_exercise_id},
        )
    result = exercise_grade(exercise=test.current_exercise, answer=answer)
    right = result.verdict != Attempt.Verdict.INCORRECT
    test.items = [
        *test.items,
        {
            "exercise": exercise_id,
            "level": test.current_level,
            "verdict": result.verdict,
            "right": right,
        },
    ]
    index = LEVELS.index(test.current_level) + (1 if right else -1)
    next_level = LEVELS[max(0, min(index, len(LEVELS) - 1))]
    picked = None
    if len(test.items) < PLACEMENT_MAX_ITEMS:
        picked = _pick(test=test, user=user, level=next_level)
    if picked is None:
        test.status = PlacementTest.Status.FINISHED
        test.result_level, _summary = placement_result(test.items)
        test.finished_at = timezone.now()
        test.current_exercise = None
        user_update_profile(user=user, data={"level": test.result_level})
    else:
        test.current_exercise_id, test.current_level = picked
    test.save(
        update_fields=[
            "items",
            "status",
            "result_level",
            "finished_at",
            "current_exercise",
            "current_level",
        ]
    )
    return placement_get_for_owner(user=user, test_id=test.pk)
