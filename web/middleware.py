"""The interface language: switcher cookie, then profile, then Accept-Language."""

from django.conf import settings
from django.utils import translation


class ProfileLanguageMiddleware:
    """After authentication: a signed-in person without a switcher choice reads
    Runa in their profile's ``interface_language``.

    LocaleMiddleware (before it) has already picked the switcher's cookie or
    the browser's Accept-Language; the cookie wins, so only its absence lets
    the profile speak. LocaleMiddleware's response phase then sets
    ``Content-Language`` from the language active here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user is not None
            and user.is_authenticated
            and user.interface_language
        ):
            translation.activate(user.interface_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
