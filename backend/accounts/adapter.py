from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone, translation

from backend.accounts.models import InterfaceLanguage
from backend.api.client_ip import client_ip
from privacy.notice import NOTICE_VERSION


class AccountAdapter(DefaultAccountAdapter):
    """The one place allauth is customised (Runa speaks to a newcomer in the
    language they chose or read)."""

    def populate_username(self, request, user) -> None:
        # There are no usernames, and the display name stays empty until the
        # member chooses one: others then see "Member 4821" (User.public_name),
        # never anything taken from the e-mail address.
        return None

    def get_client_ip(self, request: HttpRequest) -> str:
        # The address our trusted proxies saw (TRUSTED_PROXY_COUNT), the same
        # one the API throttles use; X-Forwarded-For alone is not believed.
        return client_ip(request)

    def _get_login_attempts_cache_key(
        self, request: HttpRequest, **credentials: Any
    ) -> str:
        # The "key" of allauth's login_failed limit: the e-mail *and* the
        # client address, so failures from one address lock out that address
        # only, never the account's owner logging in from elsewhere.
        login = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{login}:{self.get_client_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                # A rate limit, answered as one (429 in allauth's envelope),
                # not as a wrong-input 400.
                raise ImmediateHttpResponse(respond_429(request)) from None
            raise

    def save_user(self, request, user, form, commit=True):
        # A newcomer who signs up in Ukrainian gets Runa (and its e-mails) in
        # Ukrainian: the language of the sign-up request becomes the profile's.
        language = (translation.get_language() or "")[:2]
        if language in InterfaceLanguage.values:
            user.interface_language = language
        # Sign-up (browser form or headless JSON) says whether the privacy
        # notice was shown; we record which version and when.
        user = super().save_user(request, user, form, commit=False)
        if form.cleaned_data.get("privacy_notice_shown"):
            user.privacy_notice_version = NOTICE_VERSION
            user.privacy_notice_shown_at = timezone.now()
        if commit:
            user.save()
        return user

    def login(self, request, user) -> None:
        # The switcher's choice made before logging in wins over the profile.
        from backend.accounts.services import user_update_profile

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in InterfaceLanguage.values and chosen != user.interface_language:
            user_update_profile(user=user, data={"interface_language": chosen})
        super().login(request, user)
