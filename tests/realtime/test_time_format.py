"""One time format: UTC with Z, in REST answers and WebSocket frames alike."""

import re
import uuid
from datetime import UTC

import pytest
from asgiref.sync import sync_to_async
from django.utils.dateparse import parse_datetime

from tests.conftest import session_token_for

pytestmark = pytest.mark.django_db(transaction=True)

UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")


def _rest(user, path: str) -> dict:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN=session_token_for(user))
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()


async def test_a_message_has_the_same_time_in_its_frame_and_in_history(
    ws, session, newcomer
):
    olena = await ws.join(session, newcomer)
    await olena.send(
        {"type": "message.send", "body": "Labdien!", "client_msg_id": str(uuid.uuid4())}
    )
    framed = (await olena.recv("message.new"))["message"]["created_at"]
    history = await sync_to_async(_rest)(
        newcomer, f"/api/v1/rooms/{session.pk}/messages/"
    )
    rooms = await sync_to_async(_rest)(newcomer, "/api/v1/rooms/")
    assert UTC_Z.match(framed), framed
    assert history["results"][0]["created_at"] == framed
    assert rooms["results"][0]["last_message"]["created_at"] == framed


@pytest.mark.parametrize("zone", ["Europe/Riga", "America/New_York", "UTC"])
def test_rest_answers_in_utc_whatever_the_server_time_zone(
    settings, session, newcomer, zone
):
    settings.TIME_ZONE = zone
    body = _rest(newcomer, f"/api/v1/sessions/{session.pk}/")
    for field in ("starts_at", "ends_at"):
        assert UTC_Z.match(body[field]), body[field]
        assert parse_datetime(body[field]) == getattr(session, field).astimezone(UTC)
    listed = _rest(newcomer, "/api/v1/sessions/")["results"][0]
    assert listed["starts_at"] == body["starts_at"]
