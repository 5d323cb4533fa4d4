from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from backend.accounts import demo as accounts_demo
from clubs import demo
from clubs.models import Club, Registration, Session
from tests.clubs.factories import RegistrationFactory, SessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def post_admin(client, url, data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/clubs/club/",
        "/admin/clubs/session/",
        "/admin/clubs/registration/",
        "/admin/clubs/feedback/",
        "/admin/clubs/cohostinvitation/",
        "/admin/clubs/session/?status__exact=scheduled",
    ],
)
def test_admin_lists_open(admin_client_, session, path):
    RegistrationFactory(session=session)
    assert admin_client_.get(path).status_code == 200


def test_admin_club_page_shows_its_sessions(admin_client_, session):
    response = admin_client_.get(f"/admin/clubs/club/{session.club_id}/change/")
    assert response.status_code == 200
    assert session.topic in response.content.decode()


def test_admin_session_page_shows_registrations(admin_client_, session):
    registration = RegistrationFactory(session=session)
    response = admin_client_.get(f"/admin/clubs/session/{session.pk}/change/")
    assert response.status_code == 200
    assert registration.user.display_name in response.content.decode()


def test_admin_cancel_action_uses_the_service(admin_client_, session):
    registration = RegistrationFactory(session=session)
    response = post_admin(
        admin_client_,
        "/admin/clubs/session/",
        {"action": "cancel_sessions", "_selected_action": [session.pk]},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert [m.to for m in mail.outbox] == [[registration.user.email]]


def test_admin_marks_attendance_through_the_service(admin_client_):
    started = SessionFactory(starts_at=timezone.now() - timedelta(minutes=5))
    upcoming = SessionFactory()
    came = RegistrationFactory(session=started)
    too_early = RegistrationFactory(session=upcoming)

    response = post_admin(
        admin_client_,
        "/admin/clubs/registration/",
        {"action": "mark_attended", "_selected_action": [came.pk, too_early.pk]},
    )

    assert response.status_code == 302
    assert Registration.objects.get(pk=came.pk).status == "attended"
    assert Registration.objects.get(pk=too_early.pk).status == "confirmed"


def test_admin_session_change_tells_people_about_a_new_place(admin_client_, session):
    RegistrationFactory(session=session)
    page = admin_client_.get(f"/admin/clubs/session/{session.pk}/change/")
    assert page.status_code == 200
    response = post_admin(
        admin_client_,
        f"/admin/clubs/session/{session.pk}/change/",
        {
            "topic": session.topic,
            "level": session.level,
            "address": "Tallinas iela 4, Rīga",
            "online_url": "",
            "registrations-TOTAL_FORMS": "1",
            "registrations-INITIAL_FORMS": "1",
            "registrations-MIN_NUM_FORMS": "0",
            "registrations-MAX_NUM_FORMS": "1000",
            "registrations-0-id": session.registrations.get().pk,
            "registrations-0-session": session.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session.refresh_from_db()
    assert session.address == "Tallinas iela 4, Rīga"
    assert session.sequence == 1
    assert len(mail.outbox) == 1


def test_demo_is_idempotent():
    accounts_demo.seed()
    demo.seed()
    counts = (Club.objects.count(), Session.objects.count())
    demo.seed()

    assert (Club.objects.count(), Session.objects.count()) == counts
    assert counts[0] == 2
    riga = Club.objects.get(city="riga", online=False)
    assert "Brīvības iela 49/53" in riga.address
    assert riga.hosts.get().email == "volunteer@runa.test"
    newcomer_places = Registration.objects.filter(
        user__email="newcomer@runa.test", status="confirmed"
    )
    assert newcomer_places.count() == 1
    first = riga.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at")[0]
    assert newcomer_places.get().session == first
