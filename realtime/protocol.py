"""Protocol v1: parsing and validating client frames, and the error frame.

Validation is plain Python, not DRF: it runs on every frame, on the event loop.
Every problem becomes a ``FrameError`` with a stable code; the consumer turns
it into an ``error`` frame and the connection lives on.
"""

import json
import re
import uuid
from typing import Any

from django.utils.translation import gettext as _

from realtime.models import BODY_MAX_LENGTH, REPORT_REASON_MAX_LENGTH
from realtime.services import MUTE_MAX_MINUTES

FRAME_MAX_BYTES = 64 * 1024
INT_MAX = 2**62

# Close codes (after the handshake, so apps can tell them from network trouble).
CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_TOO_MANY_SOCKETS = 4408  # REALTIME_MAX_SOCKETS_PER_USER already open
CLOSE_ABUSE = 4429
# Redis or the database did not answer: reconnect with backoff (not a 44xx).
CLOSE_UNAVAILABLE = 4503


class FrameError(Exception):
    def __init__(
        self,
        code: str,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields
        self.extra = extra


def error_frame(
    code: str,
    message: str,
    *,
    client_msg_id: str | None = None,
    fields: dict | None = None,
    **extra: Any,
) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": "error", "code": code, "message": str(message)}
    if client_msg_id:
        frame["client_msg_id"] = client_msg_id
    if fields:
        frame["fields"] = fields
    frame.update(extra)
    return frame


def parse(text: str | None, data: bytes | None) -> dict[str, Any]:
    """A client frame as a dict with a string ``type``, or FrameError."""
    if text is None:
        raise FrameError(
            "binary_not_supported", _("Send JSON text frames, not binary ones.")
        )
    # Length in characters is a lower bound of the UTF-8 size; encode only when
    # the text could be over the limit.
    if len(text) > FRAME_MAX_BYTES or (
        len(text) * 4 > FRAME_MAX_BYTES and len(text.encode()) > FRAME_MAX_BYTES
    ):
        raise FrameError(
            "frame_too_large",
            _("Frames may be at most %(size)d bytes.") % {"size": FRAME_MAX_BYTES},
        )
    try:
        frame = json.loads(text)
    except (ValueError, RecursionError):
        raise FrameError("invalid_json", _("The frame is not valid JSON.")) from None
    if _ESCAPED_SURROGATE.search(text):
        # Pairs (an escaped emoji) are fine; a lone one is not text and could
        # not even be echoed back in an error.
        try:
            json.dumps(frame, ensure_ascii=False).encode()
        except UnicodeEncodeError:
            raise FrameError(
                "invalid_json", _("The frame contains an invalid \\u escape.")
            ) from None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise FrameError(
            "invalid_frame", _("A frame is a JSON object with a string type.")
        )
    return frame


def client_msg_id_of(frame: dict[str, Any]) -> str | None:
    """The frame's client_msg_id if it is a short string (to echo in errors)."""
    value = frame.get("client_msg_id")
    return value if isinstance(value, str) and len(value) <= 64 else None


def _invalid(field: str, message: str) -> FrameError:
    return FrameError(
        "invalid", _("Some of the input is not valid."), fields={field: [message]}
    )


def integer(
    frame: dict, field: str, *, minimum: int = 0, maximum: int = INT_MAX
) -> int:
    value = frame.get(field)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(field, _("A whole number is required."))
    if not minimum <= value <= maximum:
        raise _invalid(
            field,
            _("Use %(min)d to %(max)d.") % {"min": minimum, "max": maximum},
        )
    return value


def optional_integer(frame: dict, field: str, **kwargs) -> int | None:
    return None if frame.get(field) is None else integer(frame, field, **kwargs)


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
# NUL cannot be stored by PostgreSQL, and a lone surrogate (JSON "\ud800") is
# not text: it cannot even be encoded to UTF-8 to send it back.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable(field: str, value: str) -> str:
    if _UNSTORABLE.search(value):
        raise _invalid(field, _("The text contains characters that are not allowed."))
    return value


def body(frame: dict) -> str:
    value = frame.get("body")
    if not isinstance(value, str) or not value.strip():
        raise _invalid("body", _("Write some text."))
    if len(value) > BODY_MAX_LENGTH:
        raise FrameError(
            "body_too_long",
            _("A message may be at most %(max)d characters.")
            % {"max": BODY_MAX_LENGTH},
            fields={"body": [_("At most %(max)d.") % {"max": BODY_MAX_LENGTH}]},
        )
    return _storable("body", value)


def client_msg_id(frame: dict) -> uuid.UUID:
    value = frame.get("client_msg_id")
    try:
        if not isinstance(value, str) or len(value) > 64:
            raise ValueError
        return uuid.UUID(value)
    except ValueError:
        raise _invalid("client_msg_id", _("A UUID is required.")) from None


def reason(frame: dict) -> str:
    value = frame.get("reason")
    if not isinstance(value, str) or not value.strip():
        raise _invalid("reason", _("Say why you report this message."))
    if len(value) > REPORT_REASON_MAX_LENGTH:
        raise _invalid(
            "reason", _("At most %(max)d.") % {"max": REPORT_REASON_MAX_LENGTH}
        )
    return _storable("reason", value)


def minutes(frame: dict) -> int:
    return integer(frame, "minutes", maximum=MUTE_MAX_MINUTES)
