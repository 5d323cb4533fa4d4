"""The Channels tutorial chat consumer, as a baseline for bench/chat_fanout.py.

What the official tutorial builds: one group per room, ``group_send`` per
message, ``json.dumps`` per recipient, no persistence, no authentication.
Layer: the stock InMemoryChannelLayer (``BENCH_LAYER=redis`` for channels_redis
with ``REDIS_URL``). Run: daphne bench.tutorial_asgi:application
"""

import json
import os

import django
from django.conf import settings

if os.environ.get("BENCH_LAYER") == "redis":
    LAYER = {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [os.environ["REDIS_URL"]], "prefix": "tutorial"},
    }
else:
    LAYER = {"BACKEND": "channels.layers.InMemoryChannelLayer"}

settings.configure(
    INSTALLED_APPS=["channels"], CHANNEL_LAYERS={"default": LAYER}, DEBUG=False
)
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class ChatConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.room_group_name = f"chat_{self.scope['url_route']['kwargs']['room']}"
        await self.channel_layer.group_add(self.room_group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, close_code):
        await self.channel_layer.group_discard(self.room_group_name, self.channel_name)

    async def receive(self, text_data):
        message = json.loads(text_data)["message"]
        await self.channel_layer.group_send(
            self.room_group_name, {"type": "chat.message", "message": message}
        )

    async def chat_message(self, event):
        await self.send(text_data=json.dumps({"message": event["message"]}))


application = URLRouter([path("ws/chat/<str:room>/", ChatConsumer.as_asgi())])
