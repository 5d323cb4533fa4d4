"""Authentication backends that read the logged-in user from the shared cache.

Every authenticated request loads its user by id (Django's ``get_user``): one
database query, most of whose cost is the ORM building it (issue 14). With a
shared cache (Redis) the row is kept there for ``USER_CACHE_SECONDS`` and
dropped on every save and delete of the user, at once and again when the
transaction commits, so a password change, a deactivation or a new staff
flag applies to the next request on every process. What bypasses ``save()``
(a bulk ``update()``, raw SQL) applies within ``USER_CACHE_SECONDS``; no code
of ours does that to users (a test reads the source for it).

Without a shared cache (the embedded mode) nothing is cached: a per-process
cache would not hear of changes made by another process.

The session stores the dotted path of the backend that logged the user in, and
Django refuses a path no longer in ``AUTHENTICATION_BACKENDS``, so the session
engines (``backend.accounts.session_engines``) move sessions made before these
backends existed to them as they load, instead of logging them out.
"""

from functools import cache as memoize

from allauth.account import auth_backends as allauth_backends
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, backends, get_user_model
from django.core.cache import cache
from django.db import connections, transaction

from backend.accounts import recent_tokens

_LEGACY_PATHS = {
    "django.contrib.auth.backends.ModelBackend": (
        "backend.accounts.auth_backends.ModelBackend"
    ),
    "allauth.account.auth_backends.AuthenticationBackend": (
        "backend.accounts.auth_backends.AuthenticationBackend"
    ),
}


def _key(user_id) -> str:
    return f"auth-user:{user_id}"


def forget_user(user_id) -> None:
    """Drop the cached row, and this process's memory of the user's tokens,
    now and again once the current transaction commits.

    The second delete covers a request that re-cached the old row between the
    save and the commit.
    """
    if recent_tokens.seconds():
        recent_tokens.forget_user(user_id)
        transaction.on_commit(lambda: recent_tokens.forget_user(user_id))
    if not settings.USER_CACHE_SECONDS:
        return
    key = _key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def upgrade_backend_path(session_data: dict) -> dict:
    path = session_data.get(BACKEND_SESSION_KEY)
    if path in _LEGACY_PATHS:
        session_data[BACKEND_SESSION_KEY] = _LEGACY_PATHS[path]
    return session_data


@memoize
def _user_sql(alias: str) -> str:
    user_model = get_user_model()
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(f.column) for f in user_model._meta.concrete_fields)
    # Only our own table and column names are interpolated.
    return (
        f"SELECT {columns} FROM {quote(user_model._meta.db_table)} "  # noqa: S608
        f"WHERE {quote(user_model._meta.pk.column)} = %s"
    )


def _user_from_db(user_id):
    """``User.objects.get(pk=user_id)`` (or None) as one raw statement: the
    ORM spent 200 µs of CPU building the query, ``raw()`` 90 in all,
    converters included (docs/performance.md, issue 14)."""
    manager = get_user_model()._default_manager
    found = list(manager.raw(_user_sql(manager.db), [user_id]))
    return found[0] if found else None


class _CachedUserMixin:
    def get_user(self, user_id):
        seconds = settings.USER_CACHE_SECONDS
        key = _key(user_id)
        user = cache.get(key) if seconds else None
        if user is None:
            user = _user_from_db(user_id)
            if user is None:
                return None
            if seconds:
                cache.set(key, user, seconds)
        # Re-checked on the cached row too: an inactive user never gets in.
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_CachedUserMixin, backends.ModelBackend):
    """Django's username/password backend (the admin), user read from cache."""


class AuthenticationBackend(_CachedUserMixin, allauth_backends.AuthenticationBackend):
    """allauth's e-mail/password backend, user read from cache."""
