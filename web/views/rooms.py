"""Live practice rooms: the list of my rooms and one session's room.

The room page renders the shell and the newest history (for reading without
JavaScript); ``web/static/web/js/room.js`` then runs the chat as a client of
the public contract only: ``GET /api/v1/rooms/{id}/messages/`` and the v1
WebSocket at ``/ws/rooms/{id}/`` with the page's session cookie.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from backend.api.errors import Forbidden, NotFound
from realtime import access, selectors
from realtime.models import BODY_MAX_LENGTH

ROOMS_SHOWN = 50
HISTORY_SHOWN = 50


@login_required
def room_list(request: HttpRequest) -> HttpResponse:
    sessions = selectors.with_room_states(
        list(selectors.room_list_for_user(user=request.user)[:ROOMS_SHOWN]),
        user=request.user,
    )
    return render(request, "web/rooms/list.html", {"sessions": sessions})


@login_required
def room_detail(request: HttpRequest, room_id: int) -> HttpResponse:
    try:
        room, role = access.room_access(room_id=room_id, user=request.user)
    except NotFound as error:
        return _refusal(request, error.message, status=404)
    except Forbidden as error:
        return _refusal(request, error.message, status=403)
    messages, has_more = selectors.message_history(room_id=room.pk, limit=HISTORY_SHOWN)
    context = {
        "room": room,
        "session": room.session,
        "role": role,
        "messages": messages,
        "has_more": has_more,
        "client": {
            "roomId": room.pk,
            "userName": str(request.user.public_name),
            "userId": request.user.pk,
            "role": role,
            "bodyMax": BODY_MAX_LENGTH,
            "timeZone": request.user.time_zone,
            "loginUrl": f"{reverse('account_login')}?next={request.path}",
            "roomsUrl": reverse("web:rooms"),
        },
        "texts": room_texts(),
    }
    return render(request, "web/rooms/detail.html", context)


def _refusal(request: HttpRequest, reason: str, *, status: int) -> HttpResponse:
    return render(request, "web/rooms/refused.html", {"reason": reason}, status=status)


def room_texts() -> dict[str, str]:
    """The chat client's words in the reader's language (the JS holds none)."""
    return {
        "connecting": _("Connecting…"),
        "connected": _("Connected"),
        "reconnecting": _("Connection lost. Reconnecting…"),
        "offline": _("You are offline. Messages you write are sent when you are back."),
        "online": _("Online: %s"),
        "nobodyOnline": _("Nobody else is here yet."),
        "typing": _("%s is typing…"),
        "you": _("you"),
        "pending": _("Waiting to be sent"),
        "reply": _("Reply"),
        "replyingTo": _("Replying to %s"),
        "replyTo": _("In reply to %s"),
        "cancel": _("Cancel"),
        "correct": _("Correct"),
        "correcting": _("Correcting %s’s message"),
        "correctionBy": _("Corrected by %s"),
        "removed": _("removed:"),
        "added": _("added:"),
        "delete": _("Delete"),
        "deleteConfirm": _("Delete this message for everyone?"),
        "deleted": _("This message was deleted."),
        "report": _("Report"),
        "reportReason": _("What is wrong with this message?"),
        "reportSend": _("Send the report"),
        "reported": _("Thank you. The message was reported to the staff."),
        "mute": _("Mute"),
        "muteTitle": _("Mute %s"),
        "muteFor": _("For how long?"),
        "mute10": _("10 minutes"),
        "mute60": _("1 hour"),
        "mute1440": _("1 day"),
        "unmute": _("Lift the mute"),
        "mutedMember": _("%s was muted until %s."),
        "unmutedMember": _("%s may write again."),
        "youAreMuted": _("A host has muted you until %s. You can read but not write."),
        "send": _("Send"),
        "sendCorrection": _("Send the correction"),
        "messageLabel": _("Your message"),
        "correctionLabel": _("The corrected sentence"),
        "newMessage": _("%s: %s"),
        "tooLong": _("The message is too long (at most %s characters)."),
        "error": _("Something went wrong. Please try again."),
        "historyError": _("The history could not be loaded. Retrying…"),
        "closed4401": _(
            "You are no longer logged in. Log in again to return to this room."
        ),
        "closed4403": _(
            "You no longer have access to this room: your place or the session "
            "was cancelled, or a host removed you."
        ),
        "closed4404": _("This room does not exist any more."),
        "closed4408": _(
            "You have too many chat windows open. Close one of them and reload "
            "this page."
        ),
        "closed4429": _(
            "Too many rejected messages. Wait a minute, then reload this page."
        ),
        "logIn": _("Log in"),
        "backToRooms": _("Back to my rooms"),
        "someone": _("someone"),
        "aMessage": _("a message"),
        "empty": _("No messages yet. Say hello!"),
    }
