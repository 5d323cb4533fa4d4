"""A process's memory of the session tokens it authenticated a moment ago
(``AUTH_PROCESS_CACHE_SECONDS``, off by default).

With Redis, every API call reads its session and then its user from the
shared cache: two round trips and two unpickled objects, most of what
authentication adds to a request (docs/performance.md, issue 14). With this
on, a process answers a token it authenticated in the last few seconds from
its own memory, and reads it again afterwards.

The price is the window: a log-out, a deactivation or a password change made
through *another* process applies here up to that many seconds later. What
this process does itself applies at once: ending a session (log-out, account
deletion, a new key at log-in) and every ``save()`` or ``delete()`` of a
user drop their entries here (``backend.accounts.session_engines`` and
``auth_backends.forget_user``). The chat does not use it: a socket reads its
session once and is closed on "session ended" events.
"""

import copy
import threading
import time
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

# A bound on memory: a process that saw more tokens than this within the
# window starts afresh (each entry is a user row and a session's few keys).
MAX_ENTRIES = 10_000

_clock = time.monotonic  # tests move it
_lock = threading.Lock()
# token -> (expires at, user, the session's data)
_entries: dict[str, tuple[float, object, dict]] = {}


def seconds() -> int:
    return settings.AUTH_PROCESS_CACHE_SECONDS


def recall(token: str) -> tuple[object, SessionBase] | None:
    """The user and a fresh session store of a recently seen token, or None."""
    entry = _entries.get(token)
    if entry is None:
        return None
    expires, user, data = entry
    if _clock() >= expires:
        forget_token(token)
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(token)
    # Loaded, as if read: the request may change it and save it, or end it.
    store._session_cache = dict(data)
    # Each request gets its own copy: a view may change its user.
    return copy.copy(user), store


def remember(token: str, user, session: SessionBase) -> None:
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[token] = (_clock() + seconds(), copy.copy(user), dict(session.items()))


def forget_token(token: str | None) -> None:
    if token:
        with _lock:
            _entries.pop(token, None)


def forget_user(user_id) -> None:
    with _lock:
        for token in [t for t, (_, user, _) in _entries.items() if user.pk == user_id]:
            del _entries[token]


def forget_all() -> None:
    with _lock:
        _entries.clear()
