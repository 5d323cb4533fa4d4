"""Co-hosts are invited and host only once they accept.

A host adding someone to a club directly would make them responsible for
sessions (and give their name to them) without asking; so hosts invite, the
invitee (told by e-mail after commit) accepts or declines. Staff may still set
a club's hosts directly.
Any host (or staff) may remove a host, as long as one stays.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User, VolunteerStatus
from backend.api.errors import Conflict, Forbidden, InvalidInput, NotFound
from clubs.models import Club, CoHostInvitation
from clubs.services.clubs import MAX_HOSTS
from clubs.services.notifications import notify_cohost_invited_on_commit
from clubs.services.sessions import sessions_revoke_host


def _invitee(*, user_id: int | None, email: str | None) -> User:
    users = User.objects.filter(
        is_active=True, volunteer_status=VolunteerStatus.APPROVED
    )
    field = "user" if user_id is not None else "email"
    invitee = (
        users.filter(pk=user_id).first()
        if user_id is not None
        else users.filter(email__iexact=(email or "").strip()).first()
    )
    if invitee is None:
        raise InvalidInput(
            fields={field: [str(_("Only approved volunteers can co-host a club."))]}
        )
    return invitee


@transaction.atomic
def cohost_invite(
    *,
    club: Club,
    invited_by: User,
    user_id: int | None = None,
    email: str | None = None,
) -> CoHostInvitation:
    """Invite an approved volunteer (by id or e-mail) to co-host ``club``.

    The caller must already be allowed to manage the club (a host or staff).
    """
    club = Club.objects.select_for_update().get(pk=club.pk)
    invitee = _invitee(user_id=user_id, email=email)
    if club.hosts.filter(pk=invitee.pk).exists():
        raise Conflict(_("This person already hosts the club."), code="already_host")
    if club.hosts.count() >= MAX_HOSTS:
        raise Conflict(_("A club has at most 10 hosts."), code="too_many_hosts")
    try:
        with transaction.atomic():
            invitation = CoHostInvitation.objects.create(
                club=club, invitee=invitee, invited_by=invited_by
            )
    except IntegrityError:
        raise Conflict(
            _("This person has already been invited."), code="already_invited"
        ) from None
    notify_cohost_invited_on_commit(invitation_id=invitation.pk)
    return invitation


def _decide(*, user: User, invitation_id: int) -> CoHostInvitation:
    invitation = (
        CoHostInvitation.objects.select_for_update(of=("self",))
        .select_related("club", "invitee", "invited_by")
        .filter(pk=invitation_id, invitee=user)
        .first()
    )
    if invitation is None:
        raise NotFound()  # also someone else's invitation: not revealed
    if invitation.status != CoHostInvitation.Status.PENDING:
        raise Conflict(
            _("This invitation has already been answered."), code="already_decided"
        )
    return invitation


@transaction.atomic
def cohost_invitation_accept(*, user: User, invitation_id: int) -> CoHostInvitation:
    """The invitee accepts: from now on they host the club."""
    invitation = _decide(user=user, invitation_id=invitation_id)
    # Lock the club: two acceptances must not pass the host limit together.
    club = Club.objects.select_for_update().get(pk=invitation.club_id)
    if not user.is_approved_volunteer:
        raise Conflict(
            _("Only approved volunteers can co-host a club."),
            code="not_volunteer",
        )
    if club.hosts.count() >= MAX_HOSTS:
        raise Conflict(_("A club has at most 10 hosts."), code="too_many_hosts")
    club.hosts.add(user)
    invitation.status = CoHostInvitation.Status.ACCEPTED
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["status", "decided_at"])
    return invitation


@transaction.atomic
def cohost_invitation_decline(*, user: User, invitation_id: int) -> CoHostInvitation:
    invitation = _decide(user=user, invitation_id=invitation_id)
    invitation.status = CoHostInvitation.Status.DECLINED
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["status", "decided_at"])
    return invitation


@transaction.atomic
def club_cohost_remove(*, club: Club, user_id: int, actor: User) -> User:
    """Remove the host ``user_id`` from ``club``; they leave its sessions' rooms.

    ``actor`` is who asks: a host of the club or staff (callers have usually
    checked already, with ``club_get_for_host``). A club keeps at least one
    host; an unknown id is answered like someone who does not host the club.
    """
    # Lock the club: two removals must not leave it without hosts together.
    club = Club.objects.select_for_update().get(pk=club.pk)
    hosts = {host.pk: host for host in club.hosts.all()}
    if not (actor.is_staff or actor.pk in hosts):
        raise Forbidden(_("Only the club's hosts may do this."), code="not_host")
    removed = hosts.get(user_id)
    if removed is None:
        raise Conflict(_("This person does not host the club."), code="not_a_host")
    if len(hosts) <= 1:
        raise Conflict(_("A club needs at least one host."), code="last_host")
    club.hosts.remove(removed)
    sessions_revoke_host(club=club, user=removed)
    return removed
