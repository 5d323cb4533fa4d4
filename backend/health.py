"""Liveness and readiness probes for the proxy, compose and orchestrators."""

import asyncio
import logging
import uuid
from importlib import import_module

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)


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


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    # Log-in needs it: cached sessions, allauth's rate limits, DRF throttles.
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


def _sessions() -> None:
    # The session store every log-in writes to (cache and/or database).
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store().exists("readyz" + uuid.uuid4().hex)


CHECKS = {
    "database": _database,
    "cache": _cache,
    "sessions": _sessions,
    "channel_layer": lambda: async_to_sync(_channel_layer_round_trip)(),
}


def readyz(request: HttpRequest) -> JsonResponse:
    """200 if what serving and logging in need answers, else 503.

    The answer is generic on purpose (probes answer any Host, unauthenticated):
    which check failed, and why, goes to the log.
    """
    failed = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure means "not ready"
            failed.append(name)
            logger.error("readyz: %s failed: %s: %s", name, type(error).__name__, error)
    if failed:
        return JsonResponse({"status": "not ready"}, status=503)
    return JsonResponse({"status": "ok"})


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
