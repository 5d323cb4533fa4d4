"""The privacy texts exist in every interface language."""

import pytest
from babel.messages.pofile import read_po

from tests.support import ROOT

CATALOGS = [
    ROOT / "privacy" / "locale" / language / "LC_MESSAGES" / "django.po"
    for language in ("lv", "ru", "uk")
]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_every_privacy_text_is_translated(path):
    with path.open("rb") as handle:
        catalog = read_po(handle)

    def missing(message) -> bool:
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        return message.fuzzy or not all(strings)

    untranslated = [m.id for m in catalog if m.id and missing(m)]
    assert not untranslated
    assert len(catalog) > 30


@pytest.mark.django_db
def test_deletion_errors_are_in_the_users_language(api_client_for, newcomer):
    newcomer.interface_language = "lv"
    newcomer.save()
    response = api_client_for(newcomer).delete(
        "/api/v1/me/", {"password": "nav-pareiza", "keep_messages": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Šī parole nav pareiza."
