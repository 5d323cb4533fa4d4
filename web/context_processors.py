from django.conf import settings

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
    }
