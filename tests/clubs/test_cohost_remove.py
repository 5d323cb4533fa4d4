"""The service that removes a club's host: who may, and a club keeps one."""

import pytest
from django.test import TestCase

from backend.api.errors import Conflict, Forbidden
from clubs.services.cohosts import club_cohost_remove
from tests.clubs.factories import ClubFactory, SessionFactory
from tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_a_host_removes_a_co_host_who_leaves_the_rooms(volunteer, revoked):
    co_host = VolunteerFactory()
    club = ClubFactory(hosts=[volunteer, co_host])
    session = SessionFactory(club=club)
    with TestCase.captureOnCommitCallbacks(execute=True):
        removed = club_cohost_remove(club=club, user_id=co_host.pk, actor=volunteer)
    assert removed == co_host
    assert list(club.hosts.all()) == [volunteer]
    assert revoked == [(session.pk, co_host.pk)]


def test_a_host_may_leave_while_another_stays(volunteer):
    co_host = VolunteerFactory()
    club = ClubFactory(hosts=[volunteer, co_host])
    club_cohost_remove(club=club, user_id=volunteer.pk, actor=volunteer)
    assert list(club.hosts.all()) == [co_host]


def test_the_last_host_stays(volunteer, staff, revoked):
    club = ClubFactory(hosts=[volunteer])
    for actor in (volunteer, staff):
        with pytest.raises(Conflict) as caught:
            club_cohost_remove(club=club, user_id=volunteer.pk, actor=actor)
        assert caught.value.code == "last_host"
    assert list(club.hosts.all()) == [volunteer]
    assert revoked == []


def test_someone_who_does_not_host_cannot_be_removed(volunteer, newcomer):
    club = ClubFactory(hosts=[volunteer, VolunteerFactory()])
    for user_id in (newcomer.pk, 999_999_999_999):
        with pytest.raises(Conflict) as caught:
            club_cohost_remove(club=club, user_id=user_id, actor=volunteer)
        assert caught.value.code == "not_a_host"
    assert club.hosts.count() == 2


def test_only_hosts_and_staff_may_remove(volunteer, staff):
    co_host = VolunteerFactory()
    club = ClubFactory(hosts=[volunteer, co_host])
    with pytest.raises(Forbidden):
        club_cohost_remove(club=club, user_id=co_host.pk, actor=VolunteerFactory())
    assert club.hosts.count() == 2
    club_cohost_remove(club=club, user_id=co_host.pk, actor=staff)
    assert list(club.hosts.all()) == [volunteer]
