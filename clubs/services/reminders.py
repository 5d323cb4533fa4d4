"""Reminder e-mails 24 hours and 1 hour before a session.

``manage.py send_reminders`` runs this every few minutes. Each reminder is
first *claimed* by inserting its unique (registration, kind) row in its own
transaction; only the run whose insert succeeds sends the e-mail. So two runs
at the same time never send one reminder twice. If sending fails the claim is
removed and the next run tries again; if the process dies between claim and
send, that one reminder is lost (at most once, never twice).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from clubs.models import Registration, Reminder, Session
from clubs.services.notifications import send_session_email

logger = logging.getLogger(__name__)

# kind -> how long before the start its window opens. A reminder is due while
# the session starts within (next window's lead, this lead]: the 24 h e-mail
# goes out between 24 h and 1 h before, the 1 h e-mail in the last hour.
WINDOWS: list[tuple[str, timedelta, timedelta]] = [
    (Reminder.Kind.DAY_BEFORE, timedelta(hours=24), timedelta(hours=1)),
    (Reminder.Kind.HOUR_BEFORE, timedelta(hours=1), timedelta(0)),
]


@dataclass
class ReminderRun:
    sent: int = 0
    skipped: int = 0
    failed: int = 0


def _due(kind: str, lead: timedelta, until: timedelta, now: datetime):
    return (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gt=now + until,
            session__starts_at__lte=now + lead,
        )
        .exclude(reminders__kind=kind)
        .select_related("user", "session__club")
        .order_by("session__starts_at", "pk")
    )


def _claim(registration: Registration, kind: str) -> Reminder | None:
    try:
        with transaction.atomic():
            return Reminder.objects.create(registration=registration, kind=kind)
    except IntegrityError:
        return None  # another run has it


def reminder_send_due(*, now: datetime | None = None) -> ReminderRun:
    now = now or timezone.now()
    run = ReminderRun()
    for kind, lead, until in WINDOWS:
        for registration in _due(kind, lead, until, now):
            claim = _claim(registration, kind)
            if claim is None:
                run.skipped += 1
                continue
            try:
                send_session_email(
                    user=registration.user,
                    session=registration.session,
                    kind=f"reminder_{kind}",
                    show_online_url=True,
                )
            except Exception:
                logger.exception(
                    "Reminder %s for registration %s failed", kind, registration.pk
                )
                claim.delete()
                run.failed += 1
            else:
                run.sent += 1
    return run
