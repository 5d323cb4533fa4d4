"""The live practice room in a real browser, against a real daphne (HTTP and
WebSockets: tests/web/asgi_server.py), at 360×740 (see conftest.py)."""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from realtime.models import Message, MessageReport, Mute
from tests.conftest import session_token_for
from tests.factories import UserFactory
from tests.realtime.conftest import make_session, register


@pytest.fixture
def room(transactional_db, volunteer, newcomer):
    session = make_session(hosts=[volunteer])
    register(session, newcomer)
    return session


def enter(v, room) -> None:
    v.goto(f"/rooms/{room.pk}/")
    v.page.wait_for_selector("#room-status[data-state=open]")


def say(page, text: str) -> None:
    page.fill("#composer-body", text)
    page.press("#composer-body", "Enter")


def message(page, text: str):
    return page.locator("#messages .msg:not(.pending)").filter(
        has=page.locator(".msg-body", has_text=text)
    )


def bodies(page) -> list[str]:
    return page.locator("#messages .msg:not(.pending) .msg-body").all_inner_texts()


def api_post(server, user, path: str, body: dict) -> int:
    request = urllib.request.Request(  # noqa: S310 (our own test server)
        f"{server.url}/api/v1/{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "X-Session-Token": session_token_for(user),
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status


def test_two_people_chat_through_a_dropped_connection_corrections_and_moderation(
    asgi_visit, asgi_server, room, newcomer, volunteer
):
    olena = asgi_visit(signed_in=newcomer)
    host = asgi_visit(signed_in=volunteer)
    sockets: list[str] = []
    olena.page.on("websocket", lambda socket: sockets.append(socket.url))
    enter(olena, room)
    enter(host, room)
    expect(host.page.locator("#room-presence")).to_have_text("Online: Olena")

    # The keyboard alone: the message field, Enter sends.
    say(olena.page, "Labdien!")
    expect(message(host.page, "Labdien!")).to_have_count(1)
    host.page.locator("#composer-body").press_sequentially("Sveika")
    expect(olena.page.locator("#room-typing")).to_have_text("Jānis is typing…")
    host.page.fill("#composer-body", "")
    expect(olena.page.locator("#room-announce")).to_have_text("")
    olena.check_page("room")

    # Olena's connection drops; three messages are sent meanwhile, and she
    # writes one herself. Back online, she resumes after the last she saw.
    seen = Message.objects.get(body="Labdien!").seq
    olena.context.set_offline(True)
    expect(olena.page.locator("#room-status")).to_have_attribute(
        "data-state", "offline"
    )
    for text in ("Viens", "Divi", "Trīs"):
        say(host.page, text)
        expect(message(host.page, text)).to_have_count(1)
    say(olena.page, "Es biju prom")
    expect(olena.page.locator(".msg.pending")).to_contain_text("Waiting to be sent")
    olena.shot("room-offline")
    olena.context.set_offline(False)
    expect(message(olena.page, "Es biju prom")).to_have_count(1)
    expect(olena.page.locator(".msg.pending")).to_have_count(0)
    assert bodies(olena.page) == ["Labdien!", "Viens", "Divi", "Trīs", "Es biju prom"]
    expect(message(host.page, "Es biju prom")).to_have_count(1)
    assert bodies(host.page) == bodies(olena.page)
    assert Message.objects.filter(body="Es biju prom").count() == 1
    assert len(sockets) == 2 and sockets[1].endswith(
        f"?after_seq={seen}&replay=batch"
    ), sockets
    expect(olena.page.locator("#room-announce")).to_have_text("Jānis: Trīs")

    # The host replies, then corrects a sentence: both see the diff.
    message(host.page, "Es biju prom").get_by_role("button", name="Reply").click()
    expect(host.page.locator("#composer-context")).to_contain_text("Replying to Olena")
    assert host.page.evaluate("document.activeElement.id") == "composer-body"
    say(host.page, "Laipni lūgti atpakaļ!")
    expect(
        message(olena.page, "Laipni lūgti atpakaļ!").locator(".msg-reply")
    ).to_have_text("In reply to Olena: Es biju prom")

    say(olena.page, "Es gribu runāt par tirgus.")
    message(host.page, "Es gribu runāt par tirgus.").get_by_role(
        "button", name="Correct"
    ).click()
    expect(host.page.locator("#composer-body")).to_have_value(
        "Es gribu runāt par tirgus."
    )
    host.page.fill("#composer-body", "Es gribu runāt par tirgu.")
    host.page.get_by_role("button", name="Send the correction").click()
    for page in (olena.page, host.page):
        corrected = message(page, "Es gribu runāt par tirgus.")
        expect(corrected.locator(".correction del")).to_have_text("removed: tirgus.")
        expect(corrected.locator(".correction ins")).to_have_text("added: tirgu.")
        expect(corrected.locator(".correction-by")).to_have_text("Corrected by Jānis")
    olena.check_page("room-correction")

    # Olena reports a message; the host deletes one of hers for everyone.
    message(olena.page, "Divi").get_by_role("button", name="Report").click()
    olena.page.get_by_label("What is wrong with this message?").fill("Spam")
    olena.check_page("room-report-dialog")
    olena.page.get_by_role("button", name="Send the report").click()
    expect(olena.page.locator("#room-note")).to_have_text(
        "Thank you. The message was reported to the staff."
    )
    assert MessageReport.objects.get().reason == "Spam"

    message(host.page, "Labdien!").get_by_role("button", name="Delete").click()
    host.page.locator("#room-dialog").get_by_role("button", name="Delete").click()
    for page in (olena.page, host.page):
        expect(message(page, "Labdien!")).to_have_count(0)
        expect(page.locator(".msg.deleted .tombstone")).to_have_text(
            "This message was deleted."
        )

    # The host mutes her: she cannot send, and is told why.
    message(host.page, "Es biju prom").get_by_role("button", name="Mute").click()
    host.page.get_by_label("For how long?").select_option("10")
    host.check_page("room-mute-dialog")
    host.page.locator("#room-dialog").get_by_role("button", name="Mute").click()
    expect(olena.page.locator("#composer-muted")).to_contain_text(
        "A host has muted you until"
    )
    expect(olena.page.locator("#composer-body")).to_be_disabled()
    expect(olena.page.locator("#composer-send")).to_be_disabled()
    expect(host.page.locator("#room-note")).to_contain_text("Olena was muted until")
    assert Mute.objects.get().user == newcomer
    olena.check_page("room-muted")
    host.check_page("room-host")
    assert asgi_server.errors() == []


def test_a_stranger_is_refused_and_losing_access_closes_the_room(
    asgi_visit, asgi_server, room, newcomer, volunteer, stranger
):
    outsider = asgi_visit(signed_in=stranger)
    response = outsider.goto(f"/rooms/{room.pk}/")
    assert response.status == 403
    expect(outsider.page.get_by_role("heading", level=1)).to_have_text(
        "No access to this room"
    )
    outsider.check_page("room-refused")

    # Another member logs out in a second tab: the room says so, with a way back.
    other = UserFactory(display_name="Andris")
    register(room, other)
    leaving = asgi_visit(signed_in=other)
    enter(leaving, room)
    tab = leaving.context.new_page()
    tab.goto(f"{asgi_server.url}/accounts/logout/")
    tab.get_by_role("button", name="Sign Out").click()
    closed = leaving.page.locator("#room-closed")
    expect(closed).to_contain_text("You are no longer logged in.")
    expect(closed.get_by_role("link", name="Log in")).to_have_attribute(
        "href", f"/accounts/login/?next=/rooms/{room.pk}/"
    )

    # The host cancels the session (through the API, on this server): Olena's
    # room closes with a clear message, gets focus and does not reconnect.
    olena = asgi_visit(signed_in=newcomer)
    sockets: list[str] = []
    olena.page.on("websocket", lambda socket: sockets.append(socket.url))
    enter(olena, room)
    assert api_post(
        asgi_server, volunteer, f"sessions/{room.pk}/cancel/", {"reason": "Ill"}
    ) in (200, 204)
    closed = olena.page.locator("#room-closed")
    expect(closed).to_contain_text("You no longer have access to this room")
    expect(closed).to_be_focused()
    expect(olena.page.locator("#composer")).to_be_hidden()
    expect(olena.page.locator(".msg-actions")).to_have_count(0)
    olena.check_page("room-closed")
    olena.page.wait_for_timeout(1500)
    assert len(sockets) == 1
    # Reopened, the page refuses her (participants of a cancelled session).
    assert olena.goto(f"/rooms/{room.pk}/").status == 403
    assert asgi_server.errors() == []


def test_room_list_links_rooms_with_unread_counts(
    asgi_visit, asgi_server, room, newcomer, volunteer
):
    from tests.realtime.conftest import send

    send(room, volunteer, "Sveiki!")
    send(room, volunteer, "Vai esat gatavi?")
    olena = asgi_visit(signed_in=newcomer)
    olena.goto("/")
    olena.page.get_by_role("navigation", name="Main").get_by_text("Menu").click()
    olena.page.get_by_role("link", name="Rooms").click()
    olena.page.wait_for_load_state("networkidle")
    expect(olena.page.locator(".unread")).to_have_text("2 unread")
    olena.check_page("rooms")
    olena.page.get_by_role("link", name=re.compile("Weekend plans")).click()
    olena.page.wait_for_selector("#room-status[data-state=open]")
    assert bodies(olena.page) == ["Sveiki!", "Vai esat gatavi?"]
    # Reading them moves the read marker (the read frame): no unread left.
    olena.page.wait_for_timeout(1500)
    olena.goto("/rooms/")
    expect(olena.page.locator(".unread")).to_have_count(0)
    assert asgi_server.errors() == []


def test_a_send_whose_acknowledgement_is_lost_is_resent_and_shown_once(
    asgi_visit, asgi_server, room, newcomer, volunteer
):
    # Between page and server sits Playwright's WebSocket route: it passes
    # every frame on, except that it swallows the echo of one message and
    # breaks the connection instead, as a network failing at that moment would.
    olena = asgi_visit(signed_in=newcomer)
    lose_echo_of = {"body": None}
    sockets: list[str] = []
    sends: list[dict] = []

    def route(page_side):
        sockets.append(page_side.url)
        server_side = page_side.connect_to_server()

        def from_page(text):
            frame = json.loads(text)
            if frame["type"] == "message.send":
                sends.append(frame)
            server_side.send(text)

        def from_server(text):
            frame = json.loads(text)
            if (
                frame["type"] == "message.new"
                and frame["message"]["body"] == lose_echo_of["body"]
            ):
                lose_echo_of["body"] = None
                server_side.close()
                page_side.close(code=1011, reason="lost")
                return
            page_side.send(text)

        page_side.on_message(from_page)
        server_side.on_message(from_server)

    olena.context.route_web_socket(re.compile(r"/ws/rooms/"), route)
    host = asgi_visit(signed_in=volunteer)
    enter(olena, room)
    enter(host, room)
    say(host.page, "Sveiki!")
    expect(message(olena.page, "Sveiki!")).to_have_count(1)
    seen = Message.objects.get(body="Sveiki!").seq

    lose_echo_of["body"] = "Vai dzirdat?"
    say(olena.page, "Vai dzirdat?")
    expect(message(host.page, "Vai dzirdat?")).to_have_count(1)
    expect(message(olena.page, "Vai dzirdat?")).to_have_count(1)
    expect(olena.page.locator(".msg.pending")).to_have_count(0)
    say(host.page, "Jā!")
    expect(message(olena.page, "Jā!")).to_have_count(1)
    assert bodies(olena.page) == ["Sveiki!", "Vai dzirdat?", "Jā!"]
    assert bodies(host.page) == bodies(olena.page)
    assert Message.objects.filter(body="Vai dzirdat?").count() == 1
    assert len(sockets) == 2 and sockets[1].endswith(
        f"?after_seq={seen}&replay=batch"
    ), sockets
    # It was sent again after the reconnect, with the same client_msg_id.
    resent = [f["client_msg_id"] for f in sends if f["body"] == "Vai dzirdat?"]
    assert len(resent) == 2 and resent[0] == resent[1]
    assert asgi_server.errors() == []
