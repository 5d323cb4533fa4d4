"""What authentication costs an API call, and that it still stops at once."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import session_token_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/topics/"


def test_session_token_is_read_with_one_session_query(api_client_for, newcomer):
    client = api_client_for(newcomer)
    client.get(URL)  # warms the session cache, if any
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    session_reads = [
        q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]
    ]
    assert len(session_reads) <= 1


@pytest.mark.parametrize("token", ["", "no-such-session-key-000000000000", "x" * 500])
def test_unknown_session_token_is_401(api_client, token):
    api_client.credentials(HTTP_X_SESSION_TOKEN=token)
    response = api_client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_an_ended_session_stops_the_token_at_once(api_client, newcomer):
    token = session_token_for(newcomer)
    api_client.credentials(HTTP_X_SESSION_TOKEN=token)
    assert api_client.get(URL).status_code == 200
    import_module(settings.SESSION_ENGINE).SessionStore(token).delete()
    assert not DjangoSession.objects.filter(session_key=token).exists()
    assert api_client.get(URL).status_code == 401
