"""Clubs and their hosts."""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User, VolunteerStatus
from backend.api.errors import InvalidInput
from clubs.models import Club, CoHostInvitation
from clubs.services.notifications import notify_cohost_invited_on_commit
from clubs.services.sessions import (
    DEFAULT_WEEKS,
    session_generate_for_club,
    sessions_follow_schedule,
    sessions_revoke_host,
)

FIELDS = (
    "name",
    "description",
    "language",
    "level_min",
    "level_max",
    "city",
    "address",
    "online",
    "online_url",
    "weekday",
    "start_time",
    "duration_minutes",
    "capacity",
    "active",
)
SCHEDULE = ("weekday", "start_time", "duration_minutes")
MAX_HOSTS = 10


def _check_rules(club: Club) -> None:
    errors: dict[str, list[str]] = {}
    if club.level_min > club.level_max:
        errors["level_max"] = [str(_("The highest level is below the lowest."))]
    if club.online and not club.online_url:
        errors["online_url"] = [str(_("An online club needs its link."))]
    if not club.online and not club.address:
        errors["address"] = [str(_("A club that meets in person needs an address."))]
    if errors:
        raise InvalidInput(fields=errors)


def _hosts(host_ids: list[int]) -> list[User]:
    ids = list(dict.fromkeys(host_ids))
    hosts = list(
        User.objects.filter(
            Q(volunteer_status=VolunteerStatus.APPROVED) | Q(is_staff=True),
            pk__in=ids,
            is_active=True,
        )
    )
    if len(hosts) != len(ids):
        raise InvalidInput(
            fields={"hosts": [str(_("Hosts must be approved volunteers."))]}
        )
    if not hosts:
        raise InvalidInput(
            fields={"hosts": [str(_("A club needs at least one host."))]}
        )
    if len(hosts) > MAX_HOSTS:
        raise InvalidInput(fields={"hosts": [str(_("A club has at most 10 hosts."))]})
    return hosts


@transaction.atomic
def club_create(*, user: User, data: dict[str, Any]) -> Club:
    """A new club; its creator hosts it.

    A volunteer's co-hosts named in ``hosts`` are invited and host once they
    accept (clubs/services/cohosts.py). Staff creating a club for others name
    its hosts directly and may stay out of them. The sessions of the coming
    weeks are generated at once.
    """
    club = Club(**{name: data[name] for name in FIELDS if name in data})
    _check_rules(club)
    host_ids = list(data.get("hosts") or [])
    if user.is_approved_volunteer or not host_ids:
        host_ids.insert(0, user.pk)
    hosts = _hosts(host_ids)
    club.save()
    if user.is_staff:
        club.hosts.set(hosts)
    else:
        club.hosts.set([user])
        for co_host in hosts:
            if co_host.pk != user.pk:
                invitation = CoHostInvitation.objects.create(
                    club=club, invitee=co_host, invited_by=user
                )
                notify_cohost_invited_on_commit(invitation_id=invitation.pk)
    session_generate_for_club(club=club, weeks=DEFAULT_WEEKS)
    return club


@transaction.atomic
def club_update(*, club_id: int, data: dict[str, Any], user: User) -> Club:
    """Change a club. Existing sessions keep their own settings, except that
    after a schedule change the future sessions of the series move in place
    to the new schedule (``sessions_follow_schedule``). Removed hosts leave
    the rooms of the club's sessions.

    Only staff may add hosts through ``hosts``; hosts invite co-hosts instead.
    """
    club = Club.objects.select_for_update().get(pk=club_id)
    was_active = club.active
    changed = [
        name for name in FIELDS if name in data and data[name] != getattr(club, name)
    ]
    for name in changed:
        setattr(club, name, data[name])
    _check_rules(club)
    if changed:
        club.save(update_fields=changed)
    if "hosts" in data:
        hosts = _hosts(list(data["hosts"]))
        before = set(club.hosts.all())
        if not user.is_staff and set(hosts) - before:
            raise InvalidInput(
                fields={
                    "hosts": [
                        str(
                            _(
                                "New co-hosts are invited and host once they "
                                "accept: use the club's co-host invitations."
                            )
                        )
                    ]
                }
            )
        club.hosts.set(hosts)
        for removed in before - set(hosts):
            sessions_revoke_host(club=club, user=removed)
    if any(name in SCHEDULE for name in changed):
        sessions_follow_schedule(club=club)
    elif club.active and not was_active:
        session_generate_for_club(club=club, weeks=DEFAULT_WEEKS)
    # Drop the prefetch cache the caller may hold.
    return Club.objects.prefetch_related("hosts").get(pk=club.pk)
