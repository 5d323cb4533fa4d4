"""Word-level diff of an original sentence and its correction.

The result is a list of ``{"op": "equal" | "delete" | "insert", "text": ...}``
runs that, read in order, spell the original (equal + delete) and the
correction (equal + insert): apps strike through deletions and highlight
insertions, the way HelloTalk shows a correction.
"""

import difflib
import re

_TOKENS = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def word_diff(original: str, corrected: str) -> list[dict[str, str]]:
    a, b = _tokens(original), _tokens(corrected)
    runs: list[dict[str, str]] = []

    def add(op: str, parts: list[str]) -> None:
        text = "".join(parts)
        if not text:
            return
        if runs and runs[-1]["op"] == op:
            runs[-1]["text"] += text
        else:
            runs.append({"op": op, "text": text})

    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            # A replacement reads best as "old words struck, new words added".
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return runs
