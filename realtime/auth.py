"""WebSocket authentication and the Origin rule.

Credentials, tried in this order, the first that names a user wins:
1. the browser session cookie, only with an allowed ``Origin`` (a page of ours);
2. an ``X-Session-Token`` header on the upgrade request (native apps);
3. the subprotocol pair ``["runa.v1", "token.<session_token>"]`` (browsers
   holding a token; the server answers ``runa.v1`` and never echoes the token).

A present ``Origin`` must be allowed: this server's own origin (scheme, host
and port exactly as in the request, the host in ALLOWED_HOSTS) or one of
CSRF_TRUSTED_ORIGINS, the same rule as Django's CSRF check; a missing one is
accepted only with a token, because iOS apps send none but every browser does.
The room consumer authenticates as the first step of its handshake (not in a
middleware: one coroutine and one copy of the scope less per socket for its
lifetime); a failure is answered by accepting the handshake and closing with
4401/4403, so apps know not to retry.
"""

import logging
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from allauth.core.internal.sessionkit import get_session_user
from allauth.headless.internal.sessionkit import (
    authenticate_by_x_session_token,
    session_store,
)
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

from backend.accounts.auth_backends import forget_user
from realtime.db import db_hop
from realtime.protocol import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_AUTHENTICATED,
)

logger = logging.getLogger(__name__)

SUBPROTOCOL = "runa.v1"
TOKEN_PREFIX = "token."  # noqa: S105 (a prefix, not a secret)
# Session keys are 32 characters; anything much longer is not one.
_MAX_CREDENTIAL = 256


def _secure(scope) -> bool:
    """Was the upgrade made over TLS? Like Django's ``request.is_secure()``:
    behind a TLS proxy, its ``SECURE_PROXY_SSL_HEADER`` says so."""
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:
        name, secure_value = proxy_header
        name = name.removeprefix("HTTP_").replace("_", "-").lower().encode()
        value = _header(scope, name)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return scope.get("scheme") in ("wss", "https")


def origin_allowed(origin: str, scope) -> bool:
    """The Origin is this server's own (scheme, host and port exactly, with a
    Host in ALLOWED_HOSTS), or one of CSRF_TRUSTED_ORIGINS (exactly, or a
    ``https://*.example.org`` wildcard): the rule of Django's CSRF check."""
    parsed = urlsplit(origin.lower())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return False
    normalized = f"{parsed.scheme}://{parsed.netloc}"
    if normalized != origin.lower():
        return False  # a path, query or userinfo: not an Origin browsers send
    host = (_header(scope, b"host") or "").lower()
    if host:
        domain, _port = split_domain_port(host)
        allowed = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed:
            allowed = [".localhost", "127.0.0.1", "[::1]"]
        scheme = "https" if _secure(scope) else "http"
        if (
            domain
            and validate_host(domain, allowed)
            and normalized == f"{scheme}://{host}"
        ):
            return True
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        trusted = trusted.lower()
        if normalized == trusted:
            return True
        scheme, _, netloc = trusted.partition("://")
        if (
            netloc.startswith("*")
            and scheme == parsed.scheme
            and is_same_domain(parsed.netloc, netloc[1:])
        ):
            return True
    return False


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _cookie_session_key(scope) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    try:
        morsel = SimpleCookie(raw).get(settings.SESSION_COOKIE_NAME)
    except Exception:  # a malformed Cookie header is simply no cookie
        return None
    return morsel.value if morsel else None


def _subprotocol_token(scope) -> str | None:
    for protocol in scope.get("subprotocols") or ():
        if protocol.startswith(TOKEN_PREFIX):
            return protocol[len(TOKEN_PREFIX) :]
    return None


def _usable(credential: str | None) -> bool:
    return bool(credential) and len(credential) <= _MAX_CREDENTIAL


def _user_from_session_key(session_key: str):
    session = session_store(session_key)
    session.get(SESSION_KEY)  # loads it; a missing or expired one clears the key
    if not session.session_key:
        return None
    return get_session_user(session)


def _user_from_token(token: str):
    result = authenticate_by_x_session_token(token)
    return result[0] if result else None


@db_hop
def authenticate(candidates: list[tuple[str, str]]):
    """``(user, session_key)`` of the first credential naming an active user,
    or ``(None, None)``."""
    for kind, credential in candidates:
        user = (
            _user_from_session_key(credential)
            if kind == "cookie"
            else _user_from_token(credential)
        )
        if user is not None and user.is_active:
            # Both credentials are session keys (allauth's token strategy
            # hands out the session key as the token).
            return user, credential
    return None, None


@db_hop
def session_still_valid(*, session_key: str | None, user_id: int) -> bool:
    """The socket's log-in still names this active user (re-checked now and
    then, in case the signal that ends sessions was lost)."""
    if not session_key:
        return False
    # From the database, not the user cache: this backstop is what catches a
    # change that sent no signal (a bulk update), for the cache too.
    forget_user(user_id)
    user = _user_from_session_key(session_key)
    return user is not None and user.pk == user_id and user.is_active


def handshake_credentials(scope) -> tuple[list[tuple[str, str]], int | None]:
    """The credentials an upgrade request offers, in the order they are tried
    (``("cookie" | "token", session_key)``), or the close code that ends it
    first: 4403 for an Origin that is not allowed, 4401 for no credential."""
    origin = _header(scope, b"origin")
    if origin is not None and not origin_allowed(origin, scope):
        return [], CLOSE_FORBIDDEN
    candidates = []
    cookie = _cookie_session_key(scope)
    if origin is not None and _usable(cookie):
        candidates.append(("cookie", cookie))
    for token in (_header(scope, b"x-session-token"), _subprotocol_token(scope)):
        if _usable(token):
            candidates.append(("token", token))
    if not candidates:
        return [], CLOSE_NOT_AUTHENTICATED
    return candidates, None
