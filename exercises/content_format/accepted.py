"""Answers accepted on review, added to a payload (no database here).

Used when a dispute is accepted and when content is imported, so a staff
decision survives every re-import.
"""

import copy
import unicodedata
from typing import Any

from exercises.answer_keys import expand_all, has_syntax
from exercises.content_format.kinds import KIND_VALIDATORS, Invalid
from exercises.text import normalise

# Kinds whose payload can gain an accepted answer.
KINDS = ("cloze", "translate", "order")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def _add_text(accepted: list[str], text: str) -> list[str]:
    text = _clean(text)
    # Brackets and bars would be read as answer-key syntax, not as the answer.
    if not normalise(text) or has_syntax(text):
        return accepted
    if normalise(text) in {normalise(a) for a in expand_all(accepted)}:
        return accepted
    return [*accepted, text]


def answer_text(kind: str, answer: Any) -> Any:
    """An attempt's parsed answer in the shape kept for the kind: order words
    joined into one text, cloze blanks as a list, a translation as is."""
    if kind == "order" and isinstance(answer, list):
        answer = " ".join(answer)
    if isinstance(answer, str):
        return _clean(answer)
    if isinstance(answer, list):
        return [_clean(text) if isinstance(text, str) else text for text in answer]
    return answer


def payload_with_answer(kind: str, payload: dict, answer: Any) -> dict | None:
    """The payload with the answer added; None if it adds nothing or cannot be
    added (another kind, another shape, words the item does not give)."""
    if kind not in KINDS:
        return None
    result = copy.deepcopy(payload)
    answer = answer_text(kind, answer)
    if kind == "cloze":
        if not isinstance(answer, list) or len(answer) != len(result["blanks"]):
            return None
        if not all(isinstance(text, str) for text in answer):
            return None
        result["blanks"] = [
            _add_text(accepted, given)
            for accepted, given in zip(result["blanks"], answer, strict=True)
        ]
    else:
        if not isinstance(answer, str):
            return None
        result["answers"] = _add_text(result["answers"], answer)
    if result == payload:
        return None
    try:
        # Never store what the content format would refuse (e.g. other words).
        KIND_VALIDATORS[kind](result)
    except Invalid:
        return None
    return result


def payload_without_answer(kind: str, payload: dict, answer: Any) -> dict:
    """The payload with an accepted answer taken out again (for export)."""
    result = copy.deepcopy(payload)
    answer = answer_text(kind, answer)
    if kind == "cloze" and isinstance(answer, list):
        result["blanks"] = [
            [a for a in accepted if a != given] or accepted
            for accepted, given in zip(result["blanks"], answer, strict=False)
        ]
    elif kind in ("translate", "order") and isinstance(answer, str):
        result["answers"] = [a for a in result["answers"] if a != answer] or (
            result["answers"]
        )
    return result
