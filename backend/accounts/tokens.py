"""allauth headless token strategy: the session token, looked up in one read.

allauth's ``SessionTokenStrategy.lookup_session`` asks the session store
whether the key exists, then loads it: two database queries per API call
(or two cache round trips with cached_db sessions). Loading alone answers
both questions, because Django's stores drop the key of a missing or expired
session while loading it, so a session ended by log-out, a password change
or expiry still stops working at once.
"""

from importlib import import_module

from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase


class OneReadSessionTokenStrategy(SessionTokenStrategy):
    def lookup_session(self, session_token: str) -> SessionBase | None:
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_token)
        store.get(SESSION_KEY)  # loads the session (or clears a missing key)
        return store if store.session_key else None
