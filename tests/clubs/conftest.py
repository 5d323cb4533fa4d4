"""Clubs test helpers.

``client_for(user)`` is like ``api_client_for`` but each request runs its
``transaction.on_commit`` callbacks (e-mails, room revocations) as if it had
committed: tests run inside a transaction that never commits.
"""

import pytest
from django.test import TestCase
from rest_framework.test import APIClient

from tests.clubs.factories import ClubFactory, SessionFactory
from tests.conftest import session_token_for


class CommittingClient(APIClient):
    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**kwargs)


@pytest.fixture
def client_for(db):
    def make(user) -> APIClient:
        client = CommittingClient()
        client.credentials(HTTP_X_SESSION_TOKEN=session_token_for(user))
        client.user = user
        return client

    return make


@pytest.fixture
def club(volunteer):
    return ClubFactory(hosts=[volunteer])


@pytest.fixture
def session(club):
    return SessionFactory(club=club, capacity=2)
