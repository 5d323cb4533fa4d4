"""DRF authentication: allauth's session token for apps, the session for browsers.

Both activate the user's interface language, so error messages and other
translated text follow the profile rather than only Accept-Language.
"""

from allauth.headless.contrib.rest_framework.authentication import (
    XSessionTokenAuthentication,
)
from allauth.headless.internal.sessionkit import authenticate_by_x_session_token
from django.utils import translation
from rest_framework.authentication import SessionAuthentication

from backend.accounts import recent_tokens


def _activate_language(result):
    if result is not None:
        language = getattr(result[0], "interface_language", "")
        if language:
            translation.activate(language)
    return result


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """``X-Session-Token`` from allauth headless (app client), answered from
    this process's memory of recent tokens when ``AUTH_PROCESS_CACHE_SECONDS``
    is on (``backend.accounts.recent_tokens``)."""

    def authenticate(self, request):
        token = self.get_session_token(request)
        if not token:
            return None
        remembering = recent_tokens.seconds() > 0
        found = recent_tokens.recall(token) if remembering else None
        if found is None:
            found = authenticate_by_x_session_token(token)  # what super() does
            if found is not None and remembering:
                recent_tokens.remember(token, *found)
        return _activate_language(found)

    def authenticate_header(self, request) -> str:
        # A WWW-Authenticate value makes DRF answer 401 rather than 403.
        return "X-Session-Token"


class BrowserSessionAuthentication(SessionAuthentication):
    """Django session cookie + CSRF (allauth headless browser client)."""

    def authenticate(self, request):
        return _activate_language(super().authenticate(request))
