"""The data migration that adds card totals and practised days fills them
from the attempts already stored."""

import uuid
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("exercises", "0004_dispute_decision_reason")]
AFTER = [("exercises", "0005_practice_days_and_card_totals")]


@pytest.mark.django_db(transaction=True)
def test_migration_backfills_card_totals_and_practice_days():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldUser = old.get_model("accounts", "User")
    Topic = old.get_model("exercises", "Topic")
    Exercise = old.get_model("exercises", "Exercise")
    Attempt = old.get_model("exercises", "Attempt")
    ReviewCard = old.get_model("exercises", "ReviewCard")

    # The accounts app is not migrated back: its current model fits its table.
    user = OldUser.objects.get(
        pk=get_user_model()
        .objects.create(email="old@example.org", time_zone="America/New_York")
        .pk
    )
    topic = Topic.objects.create(slug="old", name={"en": "Old"}, position=1)
    exercise = Exercise.objects.create(
        key="old-1",
        language="lv",
        level="A1",
        topic=topic,
        kind="translate",
        payload={},
    )
    moments = [
        datetime(2026, 3, 8, 22, 30, tzinfo=UTC),  # 8 March in New York
        datetime(2026, 3, 9, 3, 0, tzinfo=UTC),  # still 8 March there
        datetime(2026, 3, 9, 21, 30, tzinfo=UTC),  # 9 March
    ]
    for index, moment in enumerate(moments):
        Attempt.objects.create(
            user=user,
            exercise=exercise,
            answer="x",
            verdict="correct" if index else "incorrect",
            client_attempt_id=uuid.uuid4(),
            answered_at=moment,
            duration_ms=1000,
        )
    ReviewCard.objects.create(
        user=user, exercise=exercise, due_at=moments[0], reviews=3
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    card = new.get_model("exercises", "ReviewCard").objects.get()
    days = new.get_model("exercises", "PracticeDay").objects.filter(user_id=user.pk)

    assert (card.correct, card.practice_ms) == (2, 3000)
    assert sorted(str(d.day) for d in days) == ["2026-03-08", "2026-03-09"]
    assert {d.language for d in days} == {"lv"}
