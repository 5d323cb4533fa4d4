"""Liveness and readiness probes for the proxy, compose and orchestrators."""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and serving requests; checks nothing else."""
    return JsonResponse({"status": "ok"})


async def _channel_layer_round_trip() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel(prefix="readyz")
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "readyz.ping", "token": token})
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    if message.get("token") != token:
        raise RuntimeError("channel layer returned another message")


def _check(fn) -> str:
    try:
        fn()
    except Exception as error:  # any failure means "not ready"; say which
        return f"error: {type(error).__name__}: {error}"[:300]
    return "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def readyz(request: HttpRequest) -> JsonResponse:
    """Database and channel layer answer: 200, else 503 naming what failed."""
    checks = {
        "database": _check(_database),
        "channel_layer": _check(async_to_sync(_channel_layer_round_trip)),
    }
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


class HealthCheckMiddleware:
    """Answer the probes before host validation and the HTTPS redirect.

    Containers and load balancers call them by IP (``Host: 127.0.0.1:8000``),
    which is rightly not in ALLOWED_HOSTS, and over plain HTTP.
    """

    probes = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        probe = self.probes.get(request.path)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
