"""The room pages over HTTP: who may open them, unread counts, query counts."""

import re

import pytest

from realtime import services
from tests.factories import UserFactory
from tests.realtime.conftest import make_session, register, send
from tests.support import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(volunteer, newcomer):
    session = make_session(hosts=[volunteer])
    register(session, newcomer)
    return session


@pytest.mark.parametrize("path", ["/rooms/", "/rooms/1/"])
def test_room_pages_send_visitors_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_member_opens_the_room_with_its_latest_history(client, session, newcomer):
    send(session, newcomer, "Labdien visiem!")
    client.force_login(newcomer)
    response = client.get(f"/rooms/{session.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Labdien visiem!" in html  # readable without JavaScript
    assert 'id="room-client"' in html and 'id="room-texts"' in html
    assert "web/js/room.js" in html
    assert 'aria-live="polite"' in html


def test_host_sees_a_correction_as_a_diff_without_javascript(
    client, session, newcomer, volunteer
):
    message = send(session, newcomer, "Es gribu runāt par tirgus.")
    services.message_correct(
        room_id=session.pk,
        user=volunteer,
        message_id=message.pk,
        body="Es gribu runāt par tirgu.",
    )
    client.force_login(volunteer)
    html = client.get(f"/rooms/{session.pk}/").content.decode()
    assert '<span class="visually-hidden">removed: </span>tirgus.</del>' in html
    assert '<span class="visually-hidden">added: </span>tirgu.</ins>' in html


@pytest.mark.parametrize("status", ["waitlisted", "cancelled"])
def test_people_without_a_place_are_refused_with_a_403_page(client, session, status):
    user = UserFactory()
    register(session, user, status)
    client.force_login(user)
    response = client.get(f"/rooms/{session.pk}/")
    assert response.status_code == 403
    assert "You are not a member of this room." in response.content.decode()
    assert "room.js" not in response.content.decode()


def test_stranger_is_refused_and_a_missing_room_is_a_404_page(
    client, session, stranger
):
    client.force_login(stranger)
    assert client.get(f"/rooms/{session.pk}/").status_code == 403
    assert client.get("/rooms/999999/").status_code == 404
    assert client.get(f"/rooms/{2**63}/").status_code == 404


def test_room_list_shows_unread_counts_after_my_read_marker(
    client, session, newcomer, volunteer
):
    first = send(session, volunteer, "Sveiki!")
    send(session, newcomer, "Labdien!")  # my own: never unread
    send(session, volunteer, "Kā jums iet?")
    services.room_mark_read(room_id=session.pk, user=newcomer, seq=first.seq)
    quiet = make_session(hosts=[volunteer])
    register(quiet, newcomer)
    client.force_login(newcomer)
    html = client.get("/rooms/").content.decode()
    assert html.count('class="unread"') == 1
    assert 'data-unread="1"' in html
    assert "Jānis: Kā jums iet?" in html
    assert f'href="/rooms/{session.pk}/"' in html
    assert f'href="/rooms/{quiet.pk}/"' in html


def test_room_list_is_empty_for_someone_without_rooms(client, stranger):
    client.force_login(stranger)
    assert "No rooms yet." in client.get("/rooms/").content.decode()


def _queries(client, path: str) -> int:
    responses = []
    count = count_queries(lambda: responses.append(client.get(path)))
    assert responses[0].status_code == 200
    return count


def test_room_list_and_room_page_queries_do_not_grow_with_data(
    client, session, newcomer, volunteer
):
    send(session, volunteer, "Sveiki!")
    client.force_login(newcomer)
    _queries(client, "/rooms/")  # warms the caches of the user and the session
    list_before = _queries(client, "/rooms/")
    page_before = _queries(client, f"/rooms/{session.pk}/")
    for _ in range(4):
        other = make_session(hosts=[volunteer])
        register(other, newcomer)
        send(other, volunteer, "Sveiki!")
    for index in range(6):
        message = send(session, volunteer, f"Ziņa {index}")
        services.message_correct(
            room_id=session.pk, user=newcomer, message_id=message.pk, body="Labi"
        )
    assert _queries(client, "/rooms/") == list_before
    assert _queries(client, f"/rooms/{session.pk}/") == page_before


@pytest.mark.parametrize("language", ["lv", "ru", "uk"])
def test_the_chat_clients_words_are_translated(language):
    from django.utils import translation

    from web.views.rooms import room_texts

    with translation.override("en"):
        english = room_texts()
    with translation.override(language):
        texts = room_texts()
    untranslated = [key for key, text in texts.items() if text == english[key]]
    assert untranslated == ["newMessage"]  # "%s: %s" is the same everywhere


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("lv", ["Istabas", "Manas istabas", "Sūtīt", "1 nelasīta"]),
        ("ru", ["Комнаты", "Мои комнаты", "Отправить", "1 непрочитанное"]),
        ("uk", ["Кімнати", "Мої кімнати", "Надіслати", "1 непрочитане"]),
    ],
)
def test_room_pages_speak_the_readers_language(
    client, session, newcomer, volunteer, settings, language, words
):
    send(session, volunteer, "Sveiki!")
    newcomer.interface_language = language
    newcomer.save()
    client.force_login(newcomer)
    html = client.get("/rooms/").content.decode()
    html += client.get(f"/rooms/{session.pk}/").content.decode()
    for word in words:
        assert word in html


def test_room_pages_have_the_csp_and_no_inline_script(client, session, staff, stranger):
    send(session, staff, "<script>alert(1)</script>")
    client.force_login(staff)
    pages = [client.get("/rooms/"), client.get(f"/rooms/{session.pk}/")]
    client.force_login(stranger)
    pages.append(client.get(f"/rooms/{session.pk}/"))
    assert [page.status_code for page in pages] == [200, 200, 403]
    for page in pages:
        assert "script-src 'self'" in page["Content-Security-Policy"]
        html = page.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert "<script>alert" not in html  # a message is text, never markup
