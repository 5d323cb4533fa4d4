from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from privacy.notice import NOTICE_VERSION


def notice_context() -> dict:
    """What the notice template needs (also for pages that include it)."""
    return {
        "notice_version": NOTICE_VERSION,
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        "chat_retention_days": settings.CHAT_RETENTION_DAYS,
        "unverified_days": settings.UNVERIFIED_ACCOUNT_RETENTION_DAYS,
    }


@require_safe
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice, in ?lang= or the browser's language."""
    language = request.GET.get("lang")
    codes = dict(settings.LANGUAGES)
    if language not in codes:
        language = translation.get_language()
    with translation.override(language):
        response = render(
            request,
            "privacy/page.html",
            {
                **notice_context(),
                "LANGUAGE_CODE": translation.get_language(),
                "languages": [
                    (code, translation.get_language_info(code)["name_local"])
                    for code in codes
                ],
            },
        )
    response["Content-Language"] = language
    return response
