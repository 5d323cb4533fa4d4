import threading
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from clubs.models import Reminder
from clubs.services.reminders import reminder_send_due
from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory
from tests.factories import UserFactory


def starting_in(**kwargs):
    return SessionFactory(
        club=ClubFactory(),
        starts_at=(timezone.now() + timedelta(**kwargs)).replace(microsecond=0),
    )


@pytest.mark.django_db
def test_reminders_go_to_confirmed_people_once():
    tomorrow = starting_in(hours=23)
    in_half_an_hour = starting_in(minutes=30)
    next_week = starting_in(days=7)
    confirmed = RegistrationFactory(session=tomorrow)
    RegistrationFactory(session=tomorrow, status="waitlisted", waitlist_position=1)
    RegistrationFactory(session=tomorrow, status="cancelled")
    soon = RegistrationFactory(session=in_half_an_hour)
    RegistrationFactory(session=next_week)

    call_command("send_reminders")
    call_command("send_reminders")

    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert len(sent) == 2
    assert {to for to, _ in sent} == {confirmed.user.email, soon.user.email}
    kinds = dict(Reminder.objects.values_list("registration_id", "kind"))
    assert kinds == {confirmed.pk: "24h", soon.pk: "1h"}


@pytest.mark.django_db
def test_reminder_has_place_link_and_calendar():
    session = starting_in(hours=20)
    session.online_url = "https://meet.example.org/r"
    session.save()
    RegistrationFactory(session=session)

    reminder_send_due()

    [message] = mail.outbox
    assert session.address in message.body
    assert "https://meet.example.org/r" in message.body
    _name, content, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(content).events
    assert event.start == session.starts_at


@pytest.mark.django_db
def test_the_hour_reminder_follows_the_day_reminder():
    session = starting_in(hours=23)
    registration = RegistrationFactory(session=session)
    now = timezone.now()

    reminder_send_due(now=now)
    reminder_send_due(now=now + timedelta(hours=22, minutes=30))
    reminder_send_due(now=now + timedelta(hours=22, minutes=45))

    assert len(mail.outbox) == 2
    assert sorted(registration.reminders.values_list("kind", flat=True)) == [
        "1h",
        "24h",
    ]


@pytest.mark.django_db
def test_nobody_is_reminded_of_a_cancelled_session_or_after_cancelling(
    client_for, volunteer
):
    session = starting_in(hours=5)
    session.club.hosts.set([volunteer])
    leaving = RegistrationFactory(session=session)
    client_for(leaving.user).delete(f"/api/v1/sessions/{session.pk}/registration/")
    cancelled = starting_in(hours=6)
    RegistrationFactory(session=cancelled)
    cancelled.status = "cancelled"
    cancelled.save()

    assert reminder_send_due().sent == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_reminder_is_in_the_recipients_language():
    session = starting_in(hours=3)
    RegistrationFactory(session=session, user=UserFactory(interface_language="lv"))
    RegistrationFactory(session=session, user=UserFactory(interface_language="en"))
    reminder_send_due()
    subjects = {m.to[0].split("@")[0]: m.subject for m in mail.outbox}
    assert len(subjects) == 2
    english = [s for s in subjects.values() if s.startswith("Reminder")]
    assert len(english) == 1
    latvian = [s for s in subjects.values() if not s.startswith("Reminder")]
    assert latvian and latvian[0].startswith("Atgādinājums")


@pytest.mark.django_db
def test_moving_a_session_sends_its_reminders_again(client_for, volunteer):
    session = starting_in(hours=10)
    session.club.hosts.set([volunteer])
    RegistrationFactory(session=session)
    reminder_send_due()
    new_start = session.starts_at + timedelta(hours=2)
    client_for(volunteer).patch(
        f"/api/v1/sessions/{session.pk}/",
        {
            "starts_at": new_start.isoformat(),
            "ends_at": (new_start + timedelta(hours=1)).isoformat(),
        },
    )
    mail.outbox.clear()

    assert reminder_send_due().sent == 1


@pytest.mark.django_db
def test_a_failed_send_is_retried_next_run(monkeypatch):
    session = starting_in(hours=3)
    RegistrationFactory(session=session)

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    assert reminder_send_due().failed == 1
    assert not Reminder.objects.exists()
    monkeypatch.undo()

    assert reminder_send_due().sent == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_send_each_reminder_once():
    sessions = [starting_in(hours=h) for h in (2, 5, 12)]
    registrations = [
        RegistrationFactory(session=session) for session in sessions for _ in range(4)
    ]
    barrier = threading.Barrier(2)
    runs = []

    def run() -> None:
        try:
            barrier.wait()
            runs.append(reminder_send_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(r.sent for r in runs) == len(registrations)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        r.user.email for r in registrations
    )
    assert Reminder.objects.count() == len(registrations)
