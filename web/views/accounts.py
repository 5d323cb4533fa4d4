"""Account pages: landing, language switch, profile, deletion, the service worker."""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from backend.accounts import services as account_services
from backend.api.errors import ApiError
from privacy.services import account_delete as account_delete_service
from web import selectors
from web.forms import AccountDeleteForm, ProfileForm


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "web/landing.html")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switcher (cookie + redirect back); a signed-in person's profile
    follows, so e-mails and the API speak the same language."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.user.is_authenticated
        and settings.LANGUAGE_COOKIE_NAME in response.cookies
        and language != request.user.interface_language
    ):
        account_services.user_update_profile(
            user=request.user, data={"interface_language": language}
        )
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete my account, after my password: the API's deletion service."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete_service(
                user=request.user, keep_messages=form.cleaned_data["keep_messages"]
            )
        except ApiError as error:  # club_needs_host: staff have been told
            form.add_error(None, error.message)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("web:landing")
    return render(request, "web/account_delete.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    targets = [p.language for p in selectors.language_profile_list()]
    if request.method == "POST":
        form = ProfileForm(request.POST, user=user, target_languages=targets)
        if form.is_valid():
            account_services.user_update_profile(user=user, data=form.profile_data)
            response = redirect("web:profile")
            # The profile's language now speaks: the switcher's cookie follows it.
            translation.activate(user.interface_language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.interface_language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
            messages.success(request, _("Your profile is saved."))
            return response
    else:
        form = ProfileForm(
            initial={
                "display_name": user.display_name,
                "interface_language": user.interface_language,
                "native_languages": user.native_languages,
                "target_language": user.target_language,
                "level": user.level,
                "time_zone": user.time_zone,
            },
            user=user,
            target_languages=targets,
        )
    return render(request, "web/profile.html", {"form": form})


# What the service worker keeps for the practice page to open offline.
SERVICE_WORKER_SHELL = (
    "web/runa.css",
    "web/js/api.js",
    "web/js/outbox.js",
    "web/js/player.js",
    "web/js/practice.js",
    "web/js/placement.js",
    "web/js/sw-register.js",
    "web/icons/runa.svg",
    "web/manifest.webmanifest",
)


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker lives at the root so its scope is the whole site."""
    shell = [static(path) for path in SERVICE_WORKER_SHELL]
    # Any changed file (a new hashed name) gives the worker a new cache name,
    # so the old copies go; it followed practice.js alone before.
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    # Our own static URLs, as a JSON array (JSON is JavaScript).
    context = {"version": version, "shell_json": json.dumps(shell)}
    body = render_to_string("web/sw.js", context, request=request)
    response = HttpResponse(body, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response
