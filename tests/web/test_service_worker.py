"""The service worker's script: what it keeps, and a new cache when any of it
changes (a new deployment's hashed static names)."""

import json
import re

import pytest
from django.templatetags.static import static

from web.views import accounts

pytestmark = pytest.mark.django_db


def _script(client) -> str:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert response["Cache-Control"] == "no-cache"
    return response.content.decode()


def _cache_name(script: str) -> str:
    return re.search(r'const CACHE = "(runa-shell-[0-9a-f]{12})";', script).group(1)


def test_the_worker_keeps_the_practice_pages_shell(client):
    script = _script(client)
    shell = re.search(r"const SHELL = (\[.*?\]);", script, re.S).group(1)
    assert json.loads(shell) == [static(path) for path in accounts.SERVICE_WORKER_SHELL]


@pytest.mark.parametrize("changed", ["web/runa.css", "web/js/player.js"])
def test_a_changed_file_gives_a_new_cache(client, monkeypatch, changed):
    before = _cache_name(_script(client))
    monkeypatch.setattr(
        accounts,
        "static",
        lambda path: static(path) + ("?v2" if path == changed else ""),
    )
    after = _cache_name(_script(client))
    assert after != before
    # ...and the same files, the same cache: no needless download for phones.
    assert _cache_name(_script(client)) == after
