"""The invitee of a co-host invitation is e-mailed after commit, in their
language, with where to answer; a refused invitation sends nothing."""

import logging

import pytest
from django.conf import settings
from django.core import mail
from django.test import TestCase

from backend.api.errors import Conflict, InvalidInput
from clubs.models import CoHostInvitation
from clubs.services.cohosts import cohost_invite
from clubs.services.notifications import notify_cohost_invited_on_commit
from tests.clubs.factories import ClubFactory
from tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

HOST_PAGE = settings.FRONTEND_URL + "/host/"


@pytest.fixture
def club(volunteer):
    return ClubFactory(hosts=[volunteer], name="Runātāji")


@pytest.fixture
def anna(db):
    return VolunteerFactory(
        display_name="Anna", email="anna@example.org", interface_language="lv"
    )


def test_inviting_by_id_e_mails_the_invitee_after_commit(volunteer, club, anna):
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        cohost_invite(club=club, invited_by=volunteer, user_id=anna.pk)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["anna@example.org"]
    assert message.subject == "Uzaicinājums kopīgi vadīt klubu: Runātāji"
    assert "Sveiki, Anna!" in message.body
    assert "Jānis aicina jūs kopā vadīt klubu „Runātāji”." in message.body
    assert "lapā „Vadīšana”" in message.body
    assert HOST_PAGE in message.body
    assert message.attachments == []  # not a session: no .ics


def test_inviting_by_e_mail_speaks_english_to_an_english_invitee(volunteer, club):
    VolunteerFactory(
        display_name="Bob", email="bob@example.org", interface_language="en"
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        cohost_invite(club=club, invited_by=volunteer, email="BOB@example.org")
    [message] = mail.outbox
    assert message.to == ["bob@example.org"]
    assert message.subject == "Invitation to co-host: Runātāji"
    assert "Hello Bob," in message.body
    assert "Jānis invites you to host the club “Runātāji” with them." in message.body
    assert "Accept or decline the invitation on the “Hosting” page:" in message.body
    assert HOST_PAGE in message.body


def test_an_invitation_without_inviter_still_names_the_club(club, anna):
    invitation = CoHostInvitation.objects.create(club=club, invitee=anna)
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify_cohost_invited_on_commit(invitation_id=invitation.pk)
    [message] = mail.outbox
    assert "Jūs aicina vadīt klubu „Runātāji”." in message.body


def _refused(club, volunteer, **who):
    with (
        TestCase.captureOnCommitCallbacks(execute=True),
        pytest.raises((Conflict, InvalidInput)) as caught,
    ):
        cohost_invite(club=club, invited_by=volunteer, **who)
    return caught.value


def test_refused_invitations_send_nothing(volunteer, club, anna, newcomer):
    with TestCase.captureOnCommitCallbacks(execute=True):
        cohost_invite(club=club, invited_by=volunteer, user_id=anna.pk)
    mail.outbox.clear()

    assert _refused(club, volunteer, user_id=anna.pk).code == "already_invited"
    assert _refused(club, volunteer, user_id=volunteer.pk).code == "already_host"
    assert isinstance(_refused(club, volunteer, user_id=newcomer.pk), InvalidInput)
    full = ClubFactory(hosts=[volunteer, *VolunteerFactory.create_batch(9)])
    assert _refused(full, volunteer, user_id=anna.pk).code == "too_many_hosts"
    assert mail.outbox == []


def test_a_failing_mail_server_keeps_the_invitation_and_is_logged(
    volunteer, club, anna, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with (
        caplog.at_level(logging.ERROR, logger="clubs.services.notifications"),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        invitation = cohost_invite(club=club, invited_by=volunteer, user_id=anna.pk)
    assert CoHostInvitation.objects.get() == invitation
    assert invitation.status == "pending"
    assert "Could not send a cohost_invited e-mail" in caplog.text
    assert mail.outbox == []
