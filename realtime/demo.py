"""Demo chat: a short conversation, with a correction, in the newcomer's next
session room (idempotent: fixed client_msg_ids are stored once)."""

import uuid

from backend.accounts.models import User
from clubs.models import Registration, Session
from realtime import access, services
from realtime.models import Message

_NAMESPACE = uuid.UUID("6f2a34f4-5c1e-4a55-9a3e-1c2b7d0e9a10")
_LINES = [
    ("volunteer@runa.test", "Sveiki! Par ko šodien runāsim?"),
    ("newcomer@runa.test", "Es gribu runāt par tirgus."),
    ("volunteer@runa.test", "Lieliski, tirgū var daudz ko nopirkt."),
]


def seed() -> list[str]:
    users = {u.email: u for u in User.objects.filter(email__in=[e for e, _ in _LINES])}
    newcomer = users.get("newcomer@runa.test")
    if newcomer is None or len(users) < 2:
        return []
    session = (
        Session.objects.filter(
            registrations__user=newcomer,
            registrations__status=Registration.Status.CONFIRMED,
        )
        .order_by("starts_at")
        .first()
    )
    if session is None:
        return []
    room, _role = access.room_access(room_id=session.pk, user=newcomer)
    messages = []
    for index, (email, body) in enumerate(_LINES):
        message, _created = services.message_send(
            room_id=room.pk,
            user=users[email],
            body=body,
            client_msg_id=uuid.uuid5(_NAMESPACE, f"{session.pk}-{index}"),
        )
        messages.append(message)
    if not messages[1].corrections.exists():
        services.message_correct(
            room_id=room.pk,
            message_id=messages[1].pk,
            user=users["volunteer@runa.test"],
            body="Es gribu runāt par tirgu.",
        )
    count = Message.objects.filter(room=room).count()
    return [f"chat room {room.pk} (/ws/rooms/{room.pk}/): {count} messages"]
