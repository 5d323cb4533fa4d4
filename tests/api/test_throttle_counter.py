"""The API's throttles count requests in a window with one atomic counter."""

import threading

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from rest_framework.test import APIClient

from backend.api import throttling
from tests.conftest import session_token_for

pytestmark = pytest.mark.django_db(transaction=True)

ME = "/api/v1/me/"


def _rates(user: str):
    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": "100/min", "user": user},
        }
    )


def test_the_window_opens_with_the_first_request_and_retry_after_counts_down(
    api_client_for, newcomer, monkeypatch
):
    clock = [1_000_030.0]  # half a minute past a whole minute
    monkeypatch.setattr(throttling.UserThrottle, "timer", lambda self: clock[0])
    client = api_client_for(newcomer)
    with _rates("3/min"):
        assert [client.get(ME).status_code for _ in range(3)] == [200] * 3
        clock[0] += 20
        refused = client.get(ME)
        assert refused.status_code == 429
        assert refused.json()["retry_after"] == 40
        assert refused["Retry-After"] == "40"


def test_the_stored_count_is_a_number_not_a_history(api_client_for, newcomer):
    client = api_client_for(newcomer)
    with _rates("1000/min"):
        for _ in range(50):
            client.get(ME)
    assert cache.get(f"throttle-count:user:{newcomer.pk}") == 50


def test_a_history_left_by_drf_s_throttle_does_no_harm(api_client_for, newcomer):
    cache.set(f"throttle_user_{newcomer.pk}", [1.0, 2.0, 3.0], 60)
    assert api_client_for(newcomer).get(ME).status_code == 200


def test_concurrent_requests_are_all_counted(newcomer):
    # DRF's get-then-set lost concurrent requests; an increment does not.
    token = session_token_for(newcomer)
    statuses: list[int] = []

    def call() -> None:
        client = APIClient()
        client.credentials(HTTP_X_SESSION_TOKEN=token)
        try:
            for _ in range(5):
                statuses.append(client.get(ME).status_code)
        finally:
            connection.close()  # this thread's own, or the database stays in use

    with _rates("12/min"):
        threads = [threading.Thread(target=call) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(statuses) == [200] * 12 + [429] * 8
