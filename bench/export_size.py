"""Size and cost of GET /api/v1/me/export/ for a heavy user. Run by hand:

    .venv/bin/python bench/export_size.py                       # SQLite, temporary
    .venv/bin/python bench/export_size.py --database postgres://postgres@127.0.0.1:5432/runa

The data is built inside a transaction that is rolled back, so a database
(even a migrated, non-empty one) is left as it was.

The heavy user is two years of daily use, far above what we expect of anyone:
20 exercise answers a day, a review card for every exercise they met, a
placement test per quarter, a dispute a fortnight, two club sessions a week
(with both reminders and feedback), ten chat messages per session, and the
corrections, reports and mutes that go with them. The script builds them in a
throw-away database, exports through the real API (as the app does), and prints
the document's size (raw and gzip, which is what a browser or app downloads
with ``Accept-Encoding: gzip`` behind the proxy), the number of queries and
the time. Results go to docs/performance.md.
"""

import argparse
import gzip
import os
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DAYS = 730
ATTEMPTS_PER_DAY = 20
EXERCISES = 1500
PLACEMENT_TESTS = 8
DISPUTES = 52
SESSIONS = 208  # two a week
MESSAGES_PER_SESSION = 10
CORRECTIONS = 400
REPORTS = 20


def build(user_model):
    from django.utils import timezone

    from clubs.models import CalendarFeed, Club, Feedback, Registration, Reminder
    from clubs.models import Session as ClubSession
    from exercises.models import (
        Attempt,
        Dispute,
        Exercise,
        PlacementTest,
        ReviewCard,
        Topic,
    )
    from realtime.models import Correction, Message, MessageReport, Mute, Room

    now = timezone.now()
    me = user_model.objects.create_user(
        "heavy@example.org", "x", display_name="Heavy User", level="B1"
    )
    other = user_model.objects.create_user(
        "other@example.org", "x", display_name="Ilze"
    )
    topic = Topic.objects.create(slug="bench", name={"en": "Bench"})
    exercises = Exercise.objects.bulk_create(
        Exercise(
            key=f"bench-{n:05d}",
            language="lv",
            level="A2",
            topic=topic,
            kind="translate",
            prompt="Es dzīvoju Rīgā.",
            instructions={"en": "Translate."},
            payload={"accepted": ["I live in Riga."]},
        )
        for n in range(EXERCISES)
    )
    attempts = Attempt.objects.bulk_create(
        Attempt(
            user=me,
            exercise=exercises[n % EXERCISES],
            answer="Es dzivoju Riga",
            verdict="almost",
            feedback=[{"code": "diacritics", "expected": "Es dzīvoju Rīgā"}],
            client_attempt_id=uuid.uuid4(),
            answered_at=now - timedelta(minutes=n * 50),
            duration_ms=8000,
        )
        for n in range(DAYS * ATTEMPTS_PER_DAY)
    )
    ReviewCard.objects.bulk_create(
        ReviewCard(
            user=me,
            exercise=exercise,
            state={
                "card_id": n,
                "state": 2,
                "step": None,
                "stability": 12.5,
                "difficulty": 5.1,
                "due": now.isoformat(),
                "last_review": now.isoformat(),
            },
            due_at=now,
            last_review_at=now,
            reviews=9,
        )
        for n, exercise in enumerate(exercises)
    )
    PlacementTest.objects.bulk_create(
        PlacementTest(
            user=me,
            language="lv",
            status="finished",
            current_level="B1",
            result_level="B1",
            items=[
                {"exercise": e.pk, "level": "A2", "verdict": "correct"}
                for e in exercises[:12]
            ],
        )
        for _ in range(PLACEMENT_TESTS)
    )
    Dispute.objects.bulk_create(
        Dispute(user=me, attempt=attempt, comment="Tas arī ir pareizi, vai ne?")
        for attempt in attempts[:DISPUTES]
    )
    club = Club.objects.create(
        name="Sarunu klubs",
        level_min="A1",
        level_max="B2",
        weekday=2,
        start_time="18:00",
    )
    club.hosts.set([other])
    sessions = ClubSession.objects.bulk_create(
        ClubSession(
            club=club,
            starts_at=now - timedelta(days=3 * n + 1),
            ends_at=now - timedelta(days=3 * n + 1) + timedelta(minutes=90),
            topic="Pie ārsta",
            level="A2",
            capacity=12,
            address="Brīvības iela 49/53, Rīga",
        )
        for n in range(SESSIONS)
    )
    registrations = Registration.objects.bulk_create(
        Registration(session=s, user=me, status="attended", check_in_code=f"C{n:05d}")
        for n, s in enumerate(sessions)
    )
    Reminder.objects.bulk_create(
        Reminder(registration=r, kind=kind)
        for r in registrations
        for kind in ("24h", "1h")
    )
    Feedback.objects.bulk_create(
        Feedback(session=s, user=me, rating=5, comment="Ļoti noderīgi, paldies!")
        for s in sessions
    )
    CalendarFeed.objects.create(user=me)
    rooms = Room.objects.bulk_create(Room(session=s) for s in sessions)
    messages = Message.objects.bulk_create(
        Message(
            room=room,
            seq=seq,
            author=me,
            client_msg_id=uuid.uuid4(),
            body="Labvakar! Šodien es runāju par savu darbu un ģimeni.",
        )
        for room in rooms
        for seq in range(1, MESSAGES_PER_SESSION + 1)
    )
    Correction.objects.bulk_create(
        Correction(
            message=m,
            author=other,
            body="Labvakar! Šodien es runāšu par savu darbu un ģimeni.",
            diff=[{"op": "replace", "from": "runāju", "to": "runāšu"}],
        )
        for m in messages[:CORRECTIONS]
    )
    MessageReport.objects.bulk_create(
        MessageReport(message=m, reporter=me, reason="Spam") for m in messages[:REPORTS]
    )
    Mute.objects.create(room=rooms[0], user=me, muted_by=other, until=now)
    return me


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="a database URL (default: temporary SQLite)")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = args.database or f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.test")

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    # Everything below is rolled back: the database is left as it was.
    with transaction.atomic():
        measure(get_user_model())
        transaction.set_rollback(True)
    tmp.cleanup()


def measure(user_model) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from tests.conftest import session_token_for

    started = time.perf_counter()
    me = build(user_model)
    print(f"built the heavy user in {time.perf_counter() - started:.1f} s")
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN=session_token_for(me))
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/me/export/")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
        cache.clear()  # the export throttle
    body = response.content
    document = response.json()
    counts = {k: len(v) for k, v in document.items() if isinstance(v, list)}
    print(f"database: {connection.vendor}")
    print("rows:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    packed = len(gzip.compress(body))
    print(f"size: {len(body) / 1e6:.2f} MB raw, {packed / 1e6:.2f} MB gzip")
    print(f"queries: {len(queries)}")
    print(f"time: best {min(timings):.2f} s, worst {max(timings):.2f} s (3 runs)")


if __name__ == "__main__":
    main()
