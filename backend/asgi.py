"""ASGI entry point: HTTP goes to Django, WebSockets to the realtime app."""

import gc
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.base")

from channels.routing import ProtocolTypeRouter
from django.core.asgi import get_asgi_application

from backend import http_limits

# daphne answers over-long URLs and headers in the error contract (414, 431).
http_limits.install()

# Django must be set up before the realtime app imports models.
django_asgi_app = get_asgi_application()

from realtime.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter(
    {"http": django_asgi_app, "websocket": websocket_application}
)

# What is loaded by now (Django, the apps, their modules: some 125,000 objects)
# lives as long as the process. Out of the collector's sight, a full
# collection no longer walks it all: those took tens of milliseconds (more on
# a busy machine), and whichever socket happened to trigger one (a resume of
# hundreds of messages makes many objects) waited for it: a bimodal tail
# (docs/performance.md, issue 14).
gc.freeze()
