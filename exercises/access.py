"""Permission-checked getters of the exercises app: the one way APIs, consumers
and views load exercises, attempts and placement tests for a user.

Someone else's attempt or test is a 404, like a missing one: its id tells a
stranger nothing.
"""

from backend.api.errors import NotFound
from exercises.models import Attempt, Exercise, PlacementTest
from exercises.selectors import attempt_list_for_owner


def exercise_get(*, exercise_id: int) -> Exercise:
    """An active exercise; inactive (retired) ones are 404."""
    exercise = (
        Exercise.objects.select_related("topic")
        .filter(pk=exercise_id, is_active=True)
        .first()
    )
    if exercise is None:
        raise NotFound()
    return exercise


def attempt_get_for_owner(*, user, attempt_id: int) -> Attempt:
    """The user's own attempt, with its ``next_review_at``."""
    attempt = attempt_list_for_owner(user=user).filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFound()
    return attempt


def placement_get_for_owner(*, user, test_id: int) -> PlacementTest:
    test = (
        PlacementTest.objects.select_related("current_exercise__topic")
        .filter(pk=test_id, user=user)
        .first()
    )
    if test is None:
        raise NotFound()
    return test
