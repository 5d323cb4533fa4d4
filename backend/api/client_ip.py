"""The client's address, taken only from what our own proxies wrote.

Each trusted proxy appends the address it received the request from to
``X-Forwarded-For``, so the N-th entry from the right (N =
``TRUSTED_PROXY_COUNT``) is the client as seen by the outermost proxy; what a
client writes into the header itself stays to the left of it and is ignored.
With no trusted proxies the socket peer is the client. DRF's throttles and
allauth's rate limits both use this one function.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    peer = request.META.get("REMOTE_ADDR") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry for entry in forwarded.split(",") if entry.strip()]
    if len(entries) < count:
        # The request did not pass through every proxy (someone reached the
        # server directly): the socket peer is all we know.
        return peer
    return _valid(entries[-count]) or peer
