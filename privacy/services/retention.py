"""Retention: what ``purge_old_data`` removes, and only that.

- chat messages older than ``CHAT_RETENTION_DAYS`` (their corrections and
  reports go with them);
- sign-ups whose e-mail address was never verified, created more than
  ``UNVERIFIED_ACCOUNT_RETENTION_DAYS`` ago, with no log-in and no activity
  (attempt, registration, message) in that time: removed
  outright when they never did anything (no attempt, registration or
  message), else deleted like any account (``account_delete``, message bodies
  kept), so the participation report does not change;
- check-in codes and online links of sessions that have ended (after the
  self check-in grace period).

Running it twice in a row deletes nothing the second time.
"""

import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from backend.accounts.models import User
from backend.api.errors import ApiError
from clubs.models import Registration, Session
from clubs.services.attendance import SELF_CHECK_IN_GRACE
from exercises.models import Attempt
from privacy.services.deletion import account_delete
from realtime.models import Correction, Message, MessageReport

# A cleared check-in code can never be typed (codes use A-Z and 2-9 only) and
# stays unique per session, as the constraint on registrations requires.
CLEARED_CODE_PREFIX = "-"


@dataclass
class PurgeCounts:
    messages: int = 0
    corrections: int = 0
    message_reports: int = 0
    unverified_accounts: int = 0
    unverified_accounts_anonymised: int = 0
    unverified_accounts_kept: int = 0
    session_check_in_codes: int = 0
    registration_check_in_codes: int = 0
    session_online_links: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _cleared_code() -> str:
    return CLEARED_CODE_PREFIX + secrets.token_hex(3)


def _purge_messages(counts: PurgeCounts, *, now: datetime) -> None:
    cutoff = now - timedelta(days=settings.CHAT_RETENTION_DAYS)
    old = Message.objects.filter(created_at__lt=cutoff)
    counts.corrections = Correction.objects.filter(message__in=old).count()
    counts.message_reports = MessageReport.objects.filter(message__in=old).count()
    counts.messages = old.count()
    old.delete()


def _purge_unverified(counts: PurgeCounts, *, now: datetime) -> None:
    cutoff = now - timedelta(days=settings.UNVERIFIED_ACCOUNT_RETENTION_DAYS)
    addresses = EmailAddress.objects.filter(user=OuterRef("pk"))
    person = OuterRef("pk")
    recently_active = (
        Q(Exists(Attempt.objects.filter(user=person, created_at__gte=cutoff)))
        | Q(Exists(Registration.objects.filter(user=person, created_at__gte=cutoff)))
        | Q(Exists(Message.objects.filter(author=person, created_at__gte=cutoff)))
    )
    # Self sign-ups (allauth records their address) still waiting for the
    # confirmation; accounts staff made in the admin have no address record.
    dormant = (
        User.objects.filter(
            Q(last_login__isnull=True) | Q(last_login__lt=cutoff),
            Exists(addresses.filter(verified=False)),
            date_joined__lt=cutoff,
            deleted_at__isnull=True,
            is_staff=False,
            is_superuser=False,
        )
        .exclude(Exists(addresses.filter(verified=True)))
        .exclude(recently_active)
    )
    has_history = (
        Q(Exists(Attempt.objects.filter(user=OuterRef("pk"))))
        | Q(Exists(Registration.objects.filter(user=OuterRef("pk"))))
        | Q(Exists(Message.objects.filter(author=OuterRef("pk"))))
    )
    # Nothing depends on an account that never did anything: it goes entirely.
    ids = list(dormant.exclude(has_history).values_list("pk", flat=True))
    if ids:
        User.objects.filter(pk__in=ids).delete()
    counts.unverified_accounts = len(ids)
    # One with history is deleted like any account, so the reports keep it.
    for user in dormant.filter(has_history):
        try:
            account_delete(user=user, keep_messages=True)
        except ApiError:  # the only host of a club with sessions ahead
            counts.unverified_accounts_kept += 1
        else:
            counts.unverified_accounts_anonymised += 1


def _clear_ended_sessions(counts: PurgeCounts, *, now: datetime) -> None:
    # Self check-in stays open for a while after the end; codes live as long.
    ended = Session.objects.filter(ends_at__lt=now - SELF_CHECK_IN_GRACE)
    counts.session_check_in_codes = ended.exclude(check_in_code="").update(
        check_in_code=""
    )
    # Registration codes must stay unique per session, so they are replaced
    # with values no one can type (codes are A-Z and 2-9 only).
    registrations = list(
        Registration.objects.filter(session__in=ended)
        .exclude(check_in_code__startswith=CLEARED_CODE_PREFIX)
        .only("pk")
    )
    for registration in registrations:
        registration.check_in_code = _cleared_code()
    Registration.objects.bulk_update(registrations, ["check_in_code"], batch_size=500)
    counts.registration_check_in_codes = len(registrations)
    counts.session_online_links = ended.exclude(online_url="").update(online_url="")


def purge_old_data(*, now: datetime | None = None) -> PurgeCounts:
    """Delete what is past its retention period; returns what was removed."""
    now = now or timezone.now()
    counts = PurgeCounts()
    with transaction.atomic():
        _purge_messages(counts, now=now)
        _purge_unverified(counts, now=now)
        _clear_ended_sessions(counts, now=now)
    return counts
