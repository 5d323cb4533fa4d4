"""The auth API's page (/_allauth/openapi.html) works offline: no CDN."""

import re

import httpx
import pytest

pytestmark = pytest.mark.django_db


def _get(url: str) -> tuple[int, str, bytes]:
    response = httpx.get(url, timeout=10)
    return response.status_code, response.headers["Content-Type"], response.content


def test_auth_api_page_loads_redoc_and_its_spec_from_this_server(live_server):
    status, content_type, body = _get(f"{live_server.url}/_allauth/openapi.html")
    assert status == 200
    assert content_type.startswith("text/html")
    page = body.decode()
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', page)
    assert sources, page
    for src in sources:
        # Same origin: a path on this server, never a CDN or another host.
        assert src.startswith("/") and not src.startswith("//"), src
        status, content_type, script = _get(f"{live_server.url}{src}")
        assert status == 200
        assert b"Redoc" in script[:200_000]
    spec_url = re.search(r'spec-url="([^"]+)"', page).group(1)
    assert spec_url.startswith("/_allauth/")
    status, _type, spec = _get(f"{live_server.url}{spec_url}")
    assert status == 200
    assert b'"openapi"' in spec
    assert "cdn." not in page
