from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

# Each language named in itself, as a switcher should show it.
LANGUAGE_NAMES = {
    "lv": "Latviešu",
    "en": "English",
    "ru": "Русский",
    "uk": "Українська",
}


def web(request) -> dict:
    return {
        "ui_languages": [
            {"code": code, "name": LANGUAGE_NAMES.get(code, code)}
            for code, _name in settings.LANGUAGES
        ],
        # Lazy: pages that never show the navigation never look at the user.
        "nav_links": SimpleLazyObject(lambda: nav_links(request)),
    }


# The main navigation, in its order on wide screens: (URL name, label, the URL
# names that make it the current page, who sees it). On phones only the
# PHONE_BAR links stay in the bar; the rest are behind the "Menu" disclosure.
NAV_LINKS = (
    ("practice", _("Practice"), {"practice"}, "everyone"),
    ("progress", _("Progress"), {"progress"}, "everyone"),
    ("clubs", _("Clubs"), {"clubs"}, "everyone"),
    ("my-sessions", _("My sessions"), {"my-sessions"}, "everyone"),
    ("rooms", _("Rooms"), {"rooms", "room"}, "everyone"),
    ("profile", _("Profile"), {"profile"}, "everyone"),
    ("host", _("Hosting"), {"host"}, "hosts"),
    ("disputes", _("Disputes"), {"disputes"}, "hosts"),
    ("participation-report", _("Reports"), {"participation-report"}, "staff"),
)
PHONE_BAR = {"practice", "clubs"}


def _may_see(user, who: str) -> bool:
    if who == "staff":
        return user.is_staff
    if who == "hosts":
        return user.is_staff or user.is_approved_volunteer
    return True


def nav_links(request) -> list[dict]:
    """The signed-in person's links, each with ``current`` and ``phone_bar``."""
    user = request.user
    if not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match and match.namespace == "web" else None
    return [
        {
            "url": reverse(f"web:{name}"),
            "label": label,
            "current": current in current_names,
            "phone_bar": name in PHONE_BAR,
        }
        for name, label, current_names, who in NAV_LINKS
        if _may_see(user, who)
    ]
