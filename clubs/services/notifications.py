"""E-mails to participants, in their interface language, with the .ics attached;
and to volunteers invited to co-host a club."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from backend.accounts.models import User
from clubs.models import CoHostInvitation, Registration, Session
from clubs.services.calendars import session_ics

logger = logging.getLogger(__name__)

KINDS = ("promoted", "cancelled", "changed", "reminder_24h", "reminder_1h")


def send_session_email(
    *, user: User, session: Session, kind: str, show_online_url: bool
) -> None:
    """Render and send one e-mail; raises if the mail backend fails."""
    assert kind in KINDS, kind
    zone = user.zone
    context = {
        "user_name": user.public_name,
        "club_name": session.club.name,
        "topic": session.topic,
        "starts_at": timezone.localtime(session.starts_at, zone),
        "ends_at": timezone.localtime(session.ends_at, zone),
        "time_zone": str(zone),
        "address": session.address,
        "online_url": session.online_url if show_online_url else "",
        "is_online": bool(session.online_url),
        "cancel_reason": session.cancel_reason,
    }
    with translation.override(user.interface_language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"clubs/email/{kind}_subject.txt", context)
        body = render_to_string(f"clubs/email/{kind}.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[user.email],
    )
    message.attach(
        f"runa-session-{session.pk}.ics",
        session_ics(session=session, show_online_url=show_online_url),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )
    message.send()


def _send_quietly(**kwargs) -> None:
    # Runs after commit: a mail server outage must not turn a registration
    # that did happen into an error for the user. It is logged, not hidden.
    try:
        send_session_email(**kwargs)
    except Exception:
        logger.exception("Could not send a %s e-mail", kwargs.get("kind"))


def notify_promoted_on_commit(*, registration_ids: Iterable[int]) -> None:
    """Tell people who moved from the waitlist to a place, after commit."""
    ids = list(registration_ids)
    if not ids:
        return

    def send() -> None:
        registrations = Registration.objects.select_related(
            "user", "session__club"
        ).filter(pk__in=ids, status=Registration.Status.CONFIRMED)
        for registration in registrations:
            _send_quietly(
                user=registration.user,
                session=registration.session,
                kind="promoted",
                show_online_url=True,
            )

    transaction.on_commit(send)


def notify_registered_on_commit(
    *, session_id: int, registration_ids: Iterable[int], kind: str
) -> None:
    """Tell the given registrations about a cancelled or changed session."""
    ids = list(registration_ids)
    if not ids:
        return

    def send() -> None:
        session = Session.objects.select_related("club").get(pk=session_id)
        registrations = Registration.objects.select_related("user").filter(pk__in=ids)
        for registration in registrations:
            _send_quietly(
                user=registration.user,
                session=session,
                kind=kind,
                show_online_url=registration.status
                in (Registration.Status.CONFIRMED, Registration.Status.ATTENDED),
            )

    transaction.on_commit(send)


def send_cohost_invited_email(*, invitation: CoHostInvitation) -> None:
    """Tell the invitee who invites them to which club, and where to answer;
    raises if the mail backend fails. No .ics: it is not a session."""
    invitee = invitation.invitee
    inviter = invitation.invited_by
    context = {
        "user_name": invitee.public_name,
        "club_name": invitation.club.name,
        "inviter_name": inviter.public_name if inviter else "",
        # As allauth's e-mailed links: FRONTEND_URL, no request here.
        "answer_url": settings.FRONTEND_URL + reverse("web:host"),
    }
    with translation.override(invitee.interface_language or settings.LANGUAGE_CODE):
        subject = render_to_string("clubs/email/cohost_invited_subject.txt", context)
        body = render_to_string("clubs/email/cohost_invited.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()), body=body, to=[invitee.email]
    ).send()


def notify_cohost_invited_on_commit(*, invitation_id: int) -> None:
    """Tell the invitee of a co-host invitation, after commit."""

    def send() -> None:
        invitation = (
            CoHostInvitation.objects.select_related("club", "invitee", "invited_by")
            .filter(pk=invitation_id, status=CoHostInvitation.Status.PENDING)
            .first()
        )
        if invitation is None:
            return
        # As _send_quietly: the invitation stands even if the mail does not go.
        try:
            send_cohost_invited_email(invitation=invitation)
        except Exception:
            logger.exception("Could not send a cohost_invited e-mail")

    transaction.on_commit(send)
