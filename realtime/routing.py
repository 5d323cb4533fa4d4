"""WebSocket routing: ``/ws/rooms/{room_id}/`` behind Runa's auth middleware.

Authentication and the Origin rule (``realtime.auth``) are the room
consumer's first step: a bad Origin closes with 4403 after the handshake, so
apps can tell it from a network error.
"""

from channels.routing import URLRouter
from django.urls import re_path

from realtime.consumers import NoRoomConsumer, RoomConsumer

websocket_urlpatterns = [
    re_path(r"^ws/rooms/(?P<room_id>[0-9]{1,18})/$", RoomConsumer.as_asgi()),
    re_path(r"", NoRoomConsumer.as_asgi()),
]

websocket_application = URLRouter(websocket_urlpatterns)
