"""purge_old_data deletes exactly what is past its retention, and is idempotent."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone
from model_bakery import baker

from backend.accounts.models import User
from clubs.models import Registration, Session
from realtime.models import Correction, Message, MessageReport, Room
from tests.clubs.factories import RegistrationFactory, SessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def message(room, seq, *, age_days, author):
    created = Message.objects.create(
        room=room, seq=seq, author=author, client_msg_id=uuid.uuid4(), body=f"#{seq}"
    )
    Message.objects.filter(pk=created.pk).update(created_at=ago(days=age_days))
    return created


def purge() -> str:
    out = StringIO()
    call_command("purge_old_data", stdout=out)
    return out.getvalue()


def counts(output: str) -> dict[str, int]:
    pairs = (line.strip().split(": ") for line in output.splitlines()[1:])
    return {name: int(value) for name, value in pairs}


def test_chat_messages_older_than_the_retention_go_with_their_corrections(
    newcomer, stranger, settings
):
    settings.CHAT_RETENTION_DAYS = 30
    room = Room.objects.create(session=SessionFactory())
    old = message(room, 1, age_days=31, author=newcomer)
    edge = message(room, 2, age_days=29, author=newcomer)
    Correction.objects.create(message=old, author=stranger, body="x")
    MessageReport.objects.create(message=old, reporter=stranger, reason="spam")

    result = counts(purge())

    assert (result["messages"], result["corrections"], result["message_reports"]) == (
        1,
        1,
        1,
    )
    assert list(Message.objects.values_list("pk", flat=True)) == [edge.pk]
    assert counts(purge())["messages"] == 0  # idempotent


def test_the_default_chat_retention_is_a_year(newcomer):
    room = Room.objects.create(session=SessionFactory())
    message(room, 1, age_days=366, author=newcomer)
    kept = message(room, 2, age_days=364, author=newcomer)
    assert counts(purge())["messages"] == 1
    assert list(Message.objects.values_list("pk", flat=True)) == [kept.pk]


def make_user(
    *, joined_days_ago, verified=False, last_login_days_ago=None, address=True, **kw
):
    user = UserFactory(**kw)
    User.objects.filter(pk=user.pk).update(
        date_joined=ago(days=joined_days_ago),
        last_login=ago(days=last_login_days_ago) if last_login_days_ago else None,
    )
    # Sign-ups have an address record; accounts made in the admin do not.
    EmailAddress.objects.filter(user=user).delete()
    if address:
        EmailAddress.objects.create(user=user, email=user.email, verified=verified)
    return user


def test_unverified_dormant_accounts_go_and_nobody_else():
    gone = make_user(joined_days_ago=31)
    young = make_user(joined_days_ago=29)
    verified = make_user(joined_days_ago=400, verified=True)
    active = make_user(joined_days_ago=90, last_login_days_ago=2)
    staff = make_user(joined_days_ago=90, is_staff=True)
    made_by_staff = make_user(joined_days_ago=90, address=False)
    # The app keeps its session token for weeks: recent practice counts too.
    practising = make_user(joined_days_ago=90, last_login_days_ago=40)
    baker.make("exercises.Attempt", user=practising)
    # Unverified, dormant, but with attendance: anonymised, the report keeps it.
    attended = make_user(joined_days_ago=90)
    starts = ago(days=40)
    session = SessionFactory(starts_at=starts, ends_at=starts + timedelta(hours=1))
    RegistrationFactory(session=session, user=attended, status="attended")
    Registration.objects.filter(user=attended).update(created_at=starts)

    result = counts(purge())

    assert result["unverified_accounts"] == 1
    assert result["unverified_accounts_anonymised"] == 1
    assert not User.objects.filter(pk=gone.pk).exists()
    remaining = set(User.objects.filter(deleted_at__isnull=True))
    assert {young, verified, active, staff, made_by_staff, practising} <= remaining
    assert attended not in remaining
    assert Registration.objects.get(session=session).user_id == attended.pk
    assert User.objects.get(pk=attended.pk).deleted_at is not None

    again = counts(purge())
    assert again["unverified_accounts"] == again["unverified_accounts_anonymised"] == 0


def test_the_unverified_period_is_configurable(settings):
    settings.UNVERIFIED_ACCOUNT_RETENTION_DAYS = 7
    user = make_user(joined_days_ago=8)
    assert counts(purge())["unverified_accounts"] == 1
    assert not User.objects.filter(pk=user.pk).exists()


def test_ended_sessions_lose_their_codes_and_online_links():
    starts = ago(days=1)
    ended = SessionFactory(
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        online_url="https://meet.example/ended",
    )
    # Ended 10 minutes ago: self check-in is still open, nothing is cleared.
    recent_start = ago(minutes=70)
    recent = SessionFactory(
        starts_at=recent_start,
        ends_at=recent_start + timedelta(hours=1),
        online_url="https://meet.example/recent",
    )
    ahead = SessionFactory(online_url="https://meet.example/ahead")
    for session in (ended, recent, ahead):
        baker.make(Registration, session=session, status="attended", _quantity=2)

    result = counts(purge())

    assert result["session_check_in_codes"] == 1
    assert result["registration_check_in_codes"] == 2
    assert result["session_online_links"] == 1
    ended.refresh_from_db()
    assert (ended.check_in_code, ended.online_url) == ("", "")
    for registration in ended.registrations.all():
        assert registration.check_in_code.startswith("-")
    for session in (recent, ahead):
        fresh = Session.objects.get(pk=session.pk)
        assert fresh.check_in_code and fresh.online_url
        assert not fresh.registrations.filter(check_in_code__startswith="-").exists()

    again = counts(purge())
    assert again == dict.fromkeys(again, 0)
