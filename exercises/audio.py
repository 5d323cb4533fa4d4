"""Serving the exercises' recordings in every mode, not only with DEBUG.

The content's audio files are part of the learning content (imported into the
default storage under ``exercises/audio/``), as public as the exercises' texts.
Django serves them here so a deployment needs no extra proxy rule; a proxy or
CDN in front may cache them. Byte ranges are honoured because Safari and iOS
only play ``<audio>`` from servers that answer ``Range`` requests.
"""

import mimetypes
import re

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import http_date
from django.views.decorators.http import require_safe

AUDIO_PREFIX = "exercises/audio"
CACHE_SECONDS = 3600
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_TYPES = {".opus": "audio/ogg", ".oga": "audio/ogg", ".m4a": "audio/mp4"}


def _content_type(name: str) -> str:
    for suffix, content_type in _TYPES.items():
        if name.lower().endswith(suffix):
            return content_type
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) of a single satisfiable range, None for the whole file.

    Raises ValueError for a range that cannot be satisfied (416).
    """
    match = _RANGE.match(header.strip())
    if not match:
        return None  # several ranges or another unit: send everything (allowed)
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            raise ValueError("empty suffix range")
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise ValueError("range outside the file")
    return start, end


@require_safe
def audio_serve(request: HttpRequest, path: str) -> HttpResponse:
    name = f"{AUDIO_PREFIX}/{path}"
    try:
        if not path or not default_storage.exists(name):
            raise Http404()
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
        modified = default_storage.get_modified_time(name)
    except (SuspiciousFileOperation, OSError, NotImplementedError):
        raise Http404() from None

    size = len(content)
    status, body, first = 200, content, None
    header = request.headers.get("Range")
    if header:
        try:
            span = _byte_range(header, size)
        except ValueError:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        if span is not None:
            first, last = span
            status, body = 206, content[first : last + 1]
    response = HttpResponse(
        body if request.method == "GET" else b"",
        status=status,
        content_type=_content_type(name),
    )
    response["Content-Length"] = str(len(body))
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    if first is not None:
        response["Content-Range"] = f"bytes {first}-{first + len(body) - 1}/{size}"
    return response
