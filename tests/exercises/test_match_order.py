"""No match item is served with its right column beside the partners."""

from pathlib import Path

import pytest

from exercises.content_format.files import load
from exercises.kinds import task_render
from exercises.models import Exercise

CONTENT = Path(__file__).resolve().parents[2] / "exercises" / "content"


def _content_match_items() -> list:
    bundle = load([CONTENT])
    assert not bundle.errors
    items = [e for e in bundle.exercises if e.kind == Exercise.Kind.MATCH]
    assert items, "the content has match items"
    return items


def _beside_partner(payload: dict, task: dict) -> list[str]:
    partner = dict(payload["pairs"])
    return [
        left["text"]
        for left, right in zip(task["left"], task["right"], strict=True)
        if partner[left["text"]] == right["text"]
    ]


@pytest.mark.parametrize("item", _content_match_items(), ids=lambda item: item.key)
def test_no_content_match_item_sits_beside_its_partner(item):
    exercise = Exercise(key=item.key, kind=item.kind, payload=item.payload)
    task = task_render(exercise, language="en")
    assert [left["text"] for left in task["left"]] == [
        a for a, _b in item.payload["pairs"]
    ]
    assert sorted(r["text"] for r in task["right"]) == sorted(
        b for _a, b in item.payload["pairs"]
    )
    assert _beside_partner(item.payload, task) == []


@pytest.mark.parametrize("size", [2, 3, 5, 8])
@pytest.mark.parametrize("key", [f"lv-test-{n:03d}" for n in range(40)])
def test_any_match_is_deranged_and_stable(key, size):
    pairs = [[f"left {n}", f"right {n}"] for n in range(size)]
    exercise = Exercise(key=key, kind=Exercise.Kind.MATCH, payload={"pairs": pairs})
    task = task_render(exercise, language="en")
    assert _beside_partner({"pairs": pairs}, task) == []
    assert task_render(exercise, language="lv") == task


@pytest.mark.django_db
def test_served_match_task_is_not_in_pairing_order(
    api_client_for, newcomer, exercise_of
):
    exercise = exercise_of("match")
    task = (
        api_client_for(newcomer).get(f"/api/v1/exercises/{exercise.pk}/").json()["task"]
    )
    assert _beside_partner(exercise.payload, task) == []
