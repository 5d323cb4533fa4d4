"""DELETE /api/v1/me/ and the admin action: one service, anonymised history."""

import uuid
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import DELETION, LogEntry
from django.core import mail
from django.utils import timezone
from model_bakery import baker

from backend.accounts.models import User
from clubs.models import CalendarFeed, CoHostInvitation, Feedback, Registration
from clubs.services.reports import participation_report
from exercises.models import Attempt, ReviewCard
from realtime.models import Correction, Message, Room
from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory
from tests.exercises.factories import ExerciseFactory
from tests.factories import PASSWORD, UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def delete(client, **body):
    return client.delete(ME, body, format="json")


def past_session(days_ago: int = 3, **kwargs):
    starts = (timezone.now() - timedelta(days=days_ago)).replace(microsecond=0)
    return SessionFactory(
        starts_at=starts, ends_at=starts + timedelta(hours=1), **kwargs
    )


def report():
    today = timezone.localdate()
    return participation_report(
        date_from=today - timedelta(days=400), date_to=today + timedelta(days=60)
    )


@pytest.fixture
def history(newcomer, stranger):
    """The newcomer's past: attendance with others, learning, chat, feedback."""
    club = ClubFactory()
    sessions = [past_session(days, club=club) for days in (40, 10, 3)]
    others = [UserFactory(level=level) for level in ("A1", "A1", "A2", "B1", "A2")]
    for session in sessions:
        RegistrationFactory(session=session, user=newcomer, status="attended")
        for other in others:
            RegistrationFactory(session=session, user=other, status="attended")
    RegistrationFactory(session=sessions[1], user=stranger, status="no_show")
    exercise = ExerciseFactory()
    baker.make(Attempt, user=newcomer, exercise=exercise, _quantity=3)
    baker.make(ReviewCard, user=newcomer, exercise=exercise)
    Feedback.objects.create(
        session=sessions[2], user=newcomer, rating=5, comment="Mana ģimene ir šeit"
    )
    CalendarFeed.objects.create(user=newcomer)
    baker.make(CoHostInvitation, club=club, invitee=newcomer, invited_by=stranger)
    room = Room.objects.create(session=sessions[2])
    message = Message.objects.create(
        room=room, seq=1, author=newcomer, client_msg_id=uuid.uuid4(), body="Sveiki!"
    )
    Correction.objects.create(message=message, author=stranger, body="Sveiki visi!")
    return sessions


def test_deleting_myself_with_my_password(api_client_for, newcomer, history):
    client = api_client_for(newcomer)
    phone = api_client_for(newcomer)  # another log-in of hers
    email = newcomer.email

    response = delete(client, password=PASSWORD, keep_messages=True)

    assert response.status_code == 204, response.content
    user = User.objects.get(pk=newcomer.pk)
    assert user.deleted_at is not None
    assert not user.is_active and not user.has_usable_password()
    assert email not in user.email and user.display_name == ""
    assert not EmailAddress.objects.filter(email=email).exists()
    assert not CalendarFeed.objects.filter(user=user).exists()
    assert not CoHostInvitation.objects.filter(invitee=user).exists()
    assert Feedback.objects.get(user=user).comment == ""
    # The token she used and every other log-in of hers no longer work.
    assert client.get(ME).status_code == 401
    assert phone.get(ME).status_code == 401
    # She can sign up again with the same address.
    assert not User.objects.filter(email=email).exists()


def test_the_participation_report_is_identical_before_and_after(
    api_client_for, newcomer, history
):
    before = report()
    assert any(row["by_level"] for row in before)  # the breakdown is tested too

    response = delete(api_client_for(newcomer), password=PASSWORD, keep_messages=False)

    assert response.status_code == 204
    assert report() == before
    assert Attempt.objects.filter(user_id=newcomer.pk).count() == 3
    assert ReviewCard.objects.filter(user_id=newcomer.pk).count() == 1


def test_kept_messages_show_deleted_user(api_client_for, newcomer, history, staff):
    delete(api_client_for(newcomer), password=PASSWORD, keep_messages=True)

    page = api_client_for(staff).get(f"/api/v1/rooms/{history[2].pk}/messages/")
    [message] = page.json()["results"]
    assert (message["author_id"], message["author_name"]) == (None, "Deleted user")
    assert message["body"] == "Sveiki!"
    assert message["corrections"][0]["body"] == "Sveiki visi!"


def test_removed_messages_lose_their_text_and_the_corrections_of_it(
    api_client_for, newcomer, history, staff
):
    delete(api_client_for(newcomer), password=PASSWORD, keep_messages=False)

    message = Message.objects.get(room_id=history[2].pk, seq=1)
    assert (message.author, message.body) == (None, "")
    assert message.deleted_at is not None
    assert not Correction.objects.filter(message=message).exists()
    page = api_client_for(staff).get(f"/api/v1/rooms/{history[2].pk}/messages/")
    [shown] = page.json()["results"]
    assert shown["deleted"] is True and shown["author_name"] == "Deleted user"


def test_future_places_are_cancelled_and_the_waitlist_moves_up(
    api_client_for, newcomer
):
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session, user=newcomer, status="confirmed")
    waiting = RegistrationFactory(
        session=session, user=UserFactory(), status="waitlisted", waitlist_position=1
    )
    mail.outbox.clear()

    with_commit = api_client_for(newcomer)
    response = delete(with_commit, password=PASSWORD, keep_messages=True)

    assert response.status_code == 204
    mine = Registration.objects.get(session=session, user_id=newcomer.pk)
    assert mine.status == "cancelled"
    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position) == ("confirmed", None)


def test_a_confirmation_email_is_sent_in_her_language(
    api_client_for, newcomer, django_capture_on_commit_callbacks
):
    newcomer.interface_language = "lv"
    newcomer.save()
    address = newcomer.email
    with django_capture_on_commit_callbacks(execute=True):
        delete(api_client_for(newcomer), password=PASSWORD, keep_messages=True)

    [email] = [m for m in mail.outbox if address in m.to]
    assert email.subject == "Jūsu Runas konts ir dzēsts"
    assert "privacy@runa.example.org" in email.body


def test_a_recent_reauthentication_replaces_the_password(api_client, newcomer):
    app = "/_allauth/app/v1"
    login = api_client.post(
        f"{app}/auth/login",
        {"email": newcomer.email, "password": PASSWORD},
        format="json",
    )
    token = login.json()["meta"]["session_token"]
    api_client.credentials(HTTP_X_SESSION_TOKEN=token)
    # Logging in is not enough: the deletion needs a fresh confirmation.
    refused = delete(api_client, keep_messages=True)
    assert refused.status_code == 403
    assert refused.json()["code"] == "reauthentication_required"

    reauth = api_client.post(
        f"{app}/auth/reauthenticate", {"password": PASSWORD}, format="json"
    )
    assert reauth.status_code == 200, reauth.content

    assert delete(api_client, keep_messages=True).status_code == 204
    assert User.objects.get(pk=newcomer.pk).deleted_at is not None


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"password": "wrong-password", "keep_messages": True}, 400, "wrong_password"),
        ({"password": PASSWORD}, 400, "invalid"),
        ({}, 400, "invalid"),
        ({"password": PASSWORD, "keep_messages": "perhaps"}, 400, "invalid"),
        ({"keep_messages": True}, 403, "reauthentication_required"),
    ],
)
def test_bad_input_changes_nothing(api_client_for, newcomer, body, status, code):
    client = api_client_for(newcomer)
    response = delete(client, **body)

    assert response.status_code == status
    assert response.json()["code"] == code
    newcomer.refresh_from_db()
    assert newcomer.deleted_at is None and newcomer.is_active
    assert client.get(ME).status_code == 200


def test_wrong_passwords_are_rate_limited(api_client_for, newcomer, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "account_delete": "3/hour",
        },
    }
    client = api_client_for(newcomer)
    for _ in range(3):
        assert delete(client, password="guess", keep_messages=True).status_code == 400
    response = delete(client, password=PASSWORD, keep_messages=True)
    assert response.status_code == 429
    assert User.objects.get(pk=newcomer.pk).deleted_at is None


def test_anonymous_cannot_delete(api_client):
    response = api_client.delete(ME, {"keep_messages": True}, format="json")
    assert response.status_code == 401


def test_nobody_deletes_another_person_through_the_api(
    api_client_for, newcomer, stranger
):
    # There is no id to name: the stranger's own password deletes nobody else.
    response = delete(api_client_for(newcomer), password=PASSWORD, keep_messages=True)
    assert response.status_code == 204
    stranger.refresh_from_db()
    assert stranger.deleted_at is None and stranger.is_active


def test_the_only_host_of_a_club_with_sessions_ahead_must_hand_it_over_first(
    api_client_for,
):
    host = VolunteerFactory()
    club = ClubFactory(name="Sarunu klubs", hosts=[host])
    SessionFactory(club=club)

    mail.outbox.clear()

    response = delete(api_client_for(host), password=PASSWORD, keep_messages=True)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "club_needs_host"
    assert body["clubs"] == [{"id": club.pk, "name": "Sarunu klubs"}]
    assert User.objects.get(pk=host.pk).deleted_at is None
    # The staff are told which clubs need a host.
    [to_staff] = mail.outbox
    assert to_staff.to == ["privacy@runa.example.org"]
    assert "Sarunu klubs" in to_staff.body and host.email in to_staff.body
    # Once staff add another host, the account can go; the club stays hosted.
    other = VolunteerFactory()
    club.hosts.add(other)
    assert (
        delete(api_client_for(host), password=PASSWORD, keep_messages=True).status_code
        == 204
    )
    assert list(club.hosts.all()) == [other]


def test_staff_delete_through_the_admin_with_an_audit_entry(
    client, staff, newcomer, history
):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    before = report()
    url = "/admin/accounts/user/"
    selected = {
        "action": "delete_accounts_keep_messages",
        "_selected_action": [newcomer.pk],
    }

    confirm = client.post(url, selected)
    assert confirm.status_code == 200
    assert newcomer.email.encode() in confirm.content
    assert User.objects.get(pk=newcomer.pk).deleted_at is None

    done = client.post(url, {**selected, "confirm": "yes"})

    assert done.status_code == 302
    assert User.objects.get(pk=newcomer.pk).deleted_at is not None
    entry = LogEntry.objects.get(object_id=str(newcomer.pk))
    assert (entry.user, entry.action_flag) == (staff, DELETION)
    assert "anonymised" in entry.change_message
    assert report() == before


def test_the_admin_cannot_hard_delete_accounts(client, staff, newcomer):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    page = client.get("/admin/accounts/user/")
    assert b"delete_selected" not in page.content
    response = client.post(
        f"/admin/accounts/user/{newcomer.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=newcomer.pk).exists()


def test_non_staff_cannot_use_the_admin_action(client, newcomer, stranger):
    client.force_login(newcomer)
    response = client.post(
        "/admin/accounts/user/",
        {
            "action": "delete_accounts_keep_messages",
            "_selected_action": [stranger.pk],
            "confirm": "yes",
        },
    )
    assert response.status_code == 302  # to the admin login
    assert User.objects.get(pk=stranger.pk).deleted_at is None
