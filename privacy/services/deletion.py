"""Deleting an account: the one service the API and the admin both call.

The user row is not removed: it is emptied of everything personal (e-mail,
name, languages, password, roles) and marked ``deleted_at``. What stays linked
to it is anonymous history that other people's numbers depend on (attempts,
review cards, placement tests, past registrations and attendance), so the
funder's participation report is the same before and after. Its profile level
stays too, because the report breaks participants down by level.

Texts the person wrote for others go or lose their author: messages and
corrections show "Deleted user"; the person chooses whether message bodies stay
for the conversation (``keep_messages``) or are removed.
"""

import logging
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import DELETION, LogEntry
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User, VolunteerApplication, VolunteerStatus
from backend.api.errors import ApiError, Conflict, NotFound
from clubs.models import (
    CalendarFeed,
    Club,
    CoHostInvitation,
    Feedback,
    Registration,
    Session,
)
from clubs.selectors import LIVE
from clubs.services.registrations import registration_cancel
from clubs.services.sessions import sessions_revoke_host
from exercises.models import Dispute
from realtime import events
from realtime.models import Correction, Message, Mute, ReadMarker

logger = logging.getLogger(__name__)


@dataclass
class DeletionResult:
    user_id: int
    registrations_cancelled: int
    messages_kept: int
    messages_removed: int


def _clubs_needing_a_host(user: User, *, now) -> list[Club]:
    """Clubs the user hosts alone that still have sessions ahead."""
    clubs = []
    for club in Club.objects.filter(hosts=user).prefetch_related("hosts"):
        alone = all(host.pk == user.pk for host in club.hosts.all())
        ahead = club.sessions.filter(
            status=Session.Status.SCHEDULED, starts_at__gt=now
        ).exists()
        if alone and ahead:
            clubs.append(club)
    return clubs


def _tell_staff_about_host(*, user: User, clubs: list[Club]) -> None:
    """A host who wants to leave is blocked by their clubs: tell the staff.

    Sent at once (the refused deletion rolls back, so not on commit). The
    DELETE endpoint's throttle bounds how often one person can cause it.
    """
    context = {
        "user_id": user.pk,
        "user_name": user.public_name,
        "user_email": user.email,
        "clubs": clubs,
    }
    try:
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string(
                "privacy/email/host_leaving_subject.txt", context
            )
            body = render_to_string("privacy/email/host_leaving.txt", context)
        EmailMessage(
            subject=" ".join(subject.split()),
            body=body,
            to=[settings.PRIVACY_CONTACT_EMAIL],
        ).send()
    except Exception:
        logger.exception(
            "Could not tell the staff that host %s wants to leave", user.pk
        )


def _send_confirmation_on_commit(*, email: str, language: str) -> None:
    def send() -> None:
        # Runs after commit: the account is gone whatever the mail server says.
        try:
            with translation.override(language or settings.LANGUAGE_CODE):
                context = {"contact_email": settings.PRIVACY_CONTACT_EMAIL}
                subject = render_to_string("privacy/email/deleted_subject.txt", context)
                body = render_to_string("privacy/email/deleted.txt", context)
            EmailMessage(
                subject=" ".join(subject.split()), body=body, to=[email]
            ).send()
        except Exception:
            logger.exception("Could not send the account deletion e-mail")

    transaction.on_commit(send)


def _anonymise_chat(user: User, *, keep_messages: bool, now) -> tuple[int, int]:
    messages = Message.objects.filter(author=user)
    count = messages.count()
    if keep_messages:
        Correction.objects.filter(author=user).update(author=None)
        messages.update(author=None)
        return count, 0
    # Corrections of my sentences repeat them; my corrections go with my texts.
    Correction.objects.filter(message__author=user).delete()
    Correction.objects.filter(author=user).delete()
    messages.filter(deleted_at__isnull=True).update(deleted_at=now, deleted_by=None)
    messages.update(author=None, body="")
    return 0, count


def _scrub_user(user: User, *, now) -> None:
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.display_name = ""
    user.native_languages = []
    user.interface_language = User._meta.get_field("interface_language").default
    user.time_zone = User._meta.get_field("time_zone").default
    user.volunteer_status = VolunteerStatus.NONE
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.privacy_notice_version = ""
    user.privacy_notice_shown_at = None
    user.deleted_at = now
    # A new password hash changes the session auth hash: every session and
    # session token of the account stops authenticating at once.
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def account_delete(
    *, user: User, keep_messages: bool, actor: User | None = None
) -> DeletionResult:
    """Delete ``user``'s account (see the module docstring).

    Refused with 409 ``club_needs_host`` while the user is the only host of a
    club with sessions ahead: staff hand the club to another host first.
    ``actor`` is the staff member deleting someone else (logged in the admin
    log); None when people delete themselves.
    """
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user.pk).first()
        if user is None or user.deleted_at is not None:
            raise NotFound()
        clubs = _clubs_needing_a_host(user, now=now)
        if clubs:
            if actor is None:
                _tell_staff_about_host(user=user, clubs=clubs)
            raise Conflict(
                _(
                    "You are the only host of clubs with sessions ahead "
                    "(%(clubs)s). We have asked the staff (%(contact)s) to hand "
                    "them to another host; after that you can delete your account."
                )
                % {
                    "clubs": ", ".join(club.name for club in clubs),
                    "contact": settings.PRIVACY_CONTACT_EMAIL,
                },
                code="club_needs_host",
                extra={"clubs": [{"id": c.pk, "name": c.name} for c in clubs]},
            )
        email, language = user.email, user.interface_language
        # Every socket of the account, in every server process, once this
        # commits. Asked first, so the sockets end with 4401 (log-in ended)
        # before the room kicks of the cancellations below (4403) arrive.
        events.user_sockets_close(user_id=user.pk)

        # Future places and waitlist spots: cancelled the usual way, so the
        # waitlist moves up and the promoted people are e-mailed.
        future = Registration.objects.filter(
            user=user,
            status__in=LIVE,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gt=now,
        ).values_list("session_id", flat=True)
        cancelled = 0
        for session_id in list(future):
            try:
                registration_cancel(session_id=session_id, user=user)
            except ApiError:
                # It started meanwhile: a past registration now, kept anonymous.
                continue
            cancelled += 1
        for club in Club.objects.filter(hosts=user):
            club.hosts.remove(user)
            sessions_revoke_host(club=club, user=user)

        kept, removed = _anonymise_chat(user, keep_messages=keep_messages, now=now)
        VolunteerApplication.objects.filter(user=user).delete()
        Feedback.objects.filter(user=user).update(comment="")
        Dispute.objects.filter(user=user).update(comment="")
        CalendarFeed.objects.filter(user=user).delete()
        CoHostInvitation.objects.filter(invitee=user).delete()
        Mute.objects.filter(user=user).delete()
        ReadMarker.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        _scrub_user(user, now=now)

        if actor is not None:
            LogEntry.objects.log_actions(
                user_id=actor.pk,
                queryset=[user],
                action_flag=DELETION,
                change_message="Account deleted and anonymised "
                f"(message bodies {'kept' if keep_messages else 'removed'}).",
                single_object=True,
            )
        _send_confirmation_on_commit(email=email, language=language)
    return DeletionResult(
        user_id=user.pk,
        registrations_cancelled=cancelled,
        messages_kept=kept,
        messages_removed=removed,
    )
