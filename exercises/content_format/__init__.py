"""The content file format: parsing and validation, shared by import, export,
the admin editor and the tests. No database access here.

Layout (see docs/content.md):

- ``topics.yaml``: ``topics: [{slug, name: {en, lv, ...}}]``;
- ``<lang>/_profile.yaml``: ``language``, ``name``, ``diacritics``,
  ``confusables: [[lapa, lāpa], ...]``;
- ``<lang>/<topic>.yaml``: ``language``, ``topic``, ``exercises: [...]``, each
  item with ``key``, ``level``, ``kind``, ``instructions`` and its kind's fields.

Files whose name starts with ``_`` are not exercise files. Every problem is
collected as ``file: key: reason``; nothing stops at the first one.
"""

from exercises.content_format.files import (
    Bundle,
    ExerciseData,
    ProfileData,
    TopicData,
    item_dump,
    load,
    parse_item,
    yaml_dump,
)
from exercises.content_format.kinds import (
    BLANK,
    KIND_FIELDS,
    KIND_VALIDATORS,
    KINDS,
    LANGUAGE_RE,
    LEVELS,
    Invalid,
    payload_errors,
)

__all__ = [
    "BLANK",
    "KINDS",
    "KIND_FIELDS",
    "KIND_VALIDATORS",
    "LANGUAGE_RE",
    "LEVELS",
    "Bundle",
    "ExerciseData",
    "Invalid",
    "ProfileData",
    "TopicData",
    "item_dump",
    "load",
    "parse_item",
    "payload_errors",
    "yaml_dump",
]
