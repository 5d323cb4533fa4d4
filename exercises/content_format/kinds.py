"""Values and the one validator per exercise kind (no files, no database)."""

import re
import unicodedata
from typing import Any

from exercises.answer_keys import MAX_EXPANSIONS, AnswerKeyError, expand
from exercises.text import normalise, tokens

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
KINDS = ("choice", "cloze", "translate", "order", "match", "reading")
BLANK = "___"
AUDIO_SUFFIXES = (".mp3", ".ogg", ".oga", ".opus", ".m4a", ".wav")
MAX_TEXT = 500
# A reading text: a notice, an advert, an e-mail or a news item, not a book.
MAX_READING_TEXT = 4000
MAX_TITLE = 200
READING_QUESTIONS = (3, 5)
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2}$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")

COMMON_FIELDS = (
    "key",
    "level",
    "kind",
    "instructions",
    "prompt",
    "hint",
    "explanation",
    "audio",
    "transcript",
)
KIND_FIELDS = {
    "choice": ("options", "answer"),
    "cloze": ("text", "blanks"),
    "translate": ("source", "answers"),
    "order": ("words", "answers"),
    "match": ("pairs",),
    "reading": ("title", "text", "questions"),
}
# A reading question is a choice (options + answer) or typed (answers, graded
# like a cloze blank).
QUESTION_FIELDS = {"prompt", "options", "answer", "answers"}


class Invalid(Exception):
    """A reason one value is not valid (collected, never shown as a traceback)."""


# --- Value validators -----------------------------------------------------------


def clean_text(
    value: Any, *, what: str, allow_empty: bool = False, maximum: int = MAX_TEXT
) -> str:
    if not isinstance(value, str):
        # YAML reads 12, 08:30, yes and no as numbers or booleans.
        raise Invalid(f"{what} must be text (put numbers, times, yes/no in quotes)")
    value = unicodedata.normalize("NFC", value.strip())
    if not value and not allow_empty:
        raise Invalid(f"{what} must not be empty")
    if len(value) > maximum:
        raise Invalid(f"{what} is longer than {maximum} characters")
    return value


def clean_texts(value: Any, *, what: str, minimum: int = 1, maximum: int = 50) -> list:
    if not isinstance(value, list):
        raise Invalid(f"{what} must be a list")
    if not minimum <= len(value) <= maximum:
        raise Invalid(f"{what} must have {minimum} to {maximum} entries")
    items = [clean_text(v, what=f"{what}[{i}]") for i, v in enumerate(value)]
    if len({normalise(item) for item in items}) != len(items):
        raise Invalid(f"{what} has the same entry twice")
    return items


def clean_translations(
    value: Any, *, what: str, required: bool = True
) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or not value:
        raise Invalid(f"{what} must be a mapping of language codes to text")
    result = {}
    for code, text in value.items():
        if not isinstance(code, str) or not LANGUAGE_RE.match(code):
            raise Invalid(f"{what} has {code!r}, not a two-letter language code")
        result[code] = clean_text(text, what=f"{what}.{code}")
    if "en" not in result:
        raise Invalid(f"{what} needs an English (en) text")
    return result


def clean_keys(value: Any, *, what: str, maximum: int = 50) -> tuple[list, list]:
    """Answer keys (``exercises.answer_keys``): the keys as written, and every
    answer they stand for (the first key's first answer first)."""
    keys = clean_texts(value, what=what, maximum=maximum)
    answers: list[str] = []
    seen: set[str] = set()
    for index, key in enumerate(keys):
        try:
            expanded = expand(key)
        except AnswerKeyError as error:
            raise Invalid(f"{what}[{index}]: {error}") from None
        for answer in expanded:
            if normalise(answer) not in seen:
                seen.add(normalise(answer))
                answers.append(answer)
    if len(answers) > MAX_EXPANSIONS:
        raise Invalid(
            f"{what} stand for {len(answers)} answers, more than {MAX_EXPANSIONS}"
        )
    return keys, answers


# --- One validator per kind -----------------------------------------------------


def validate_choice(item: dict) -> dict:
    options = clean_texts(item.get("options"), what="options", minimum=2, maximum=10)
    answer = clean_text(item.get("answer"), what="answer")
    if answer not in options:
        raise Invalid("answer must be one of the options")
    return {"options": options, "answer": answer}


def validate_cloze(item: dict) -> dict:
    text = clean_text(item.get("text"), what="text")
    count = text.count(BLANK)
    if count == 0:
        raise Invalid(f"text has no blank ({BLANK})")
    blanks = item.get("blanks")
    if not isinstance(blanks, list) or len(blanks) != count:
        raise Invalid(f"blanks must be a list of {count} lists (one per {BLANK})")
    return {
        "text": text,
        "blanks": [
            clean_keys(accepted, what=f"blanks[{i}]", maximum=20)[0]
            for i, accepted in enumerate(blanks)
        ],
    }


def validate_translate(item: dict) -> dict:
    return {
        "source": clean_translations(item.get("source"), what="source"),
        "answers": clean_keys(item.get("answers"), what="answers")[0],
    }


def validate_order(item: dict) -> dict:
    words = item.get("words")
    if not isinstance(words, list) or not 2 <= len(words) <= 30:
        raise Invalid("words must be a list of 2 to 30 words")
    words = [clean_text(w, what=f"words[{i}]") for i, w in enumerate(words)]
    if any(" " in word for word in words):
        raise Invalid("each entry of words must be one word (no spaces)")
    keys, _answers = clean_keys(item.get("answers"), what="answers")
    given = sorted(t for word in words for t in tokens(normalise(word)))
    for index, key in enumerate(keys):
        for answer in expand(key):
            if sorted(tokens(normalise(answer))) != given:
                raise Invalid(
                    f"answers[{index}] does not use exactly the given words"
                    + (f" ({answer})" if answer != key else "")
                )
    return {"words": words, "answers": keys}


def validate_match(item: dict) -> dict:
    pairs = item.get("pairs")
    if not isinstance(pairs, list) or not 2 <= len(pairs) <= 12:
        raise Invalid("pairs must be a list of 2 to 12 [left, right] pairs")
    result = []
    for i, pair in enumerate(pairs):
        if not isinstance(pair, list) or len(pair) != 2:
            raise Invalid(f"pairs[{i}] must be [left, right]")
        result.append(
            [
                clean_text(pair[0], what=f"pairs[{i}][0]"),
                clean_text(pair[1], what=f"pairs[{i}][1]"),
            ]
        )
    if len({left for left, _ in result}) != len(result):
        raise Invalid("the same left item appears twice")
    if len({right for _, right in result}) != len(result):
        raise Invalid("the same right item appears twice")
    return {"pairs": result}


def _reading_question(value: Any, *, what: str) -> dict:
    if not isinstance(value, dict):
        raise Invalid(f"{what} must be a mapping with a prompt")
    unknown = set(value) - QUESTION_FIELDS
    if unknown:
        names = ", ".join(sorted(map(str, unknown)))
        raise Invalid(f"{what} has unknown field(s): {names}")
    prompt = clean_text(value.get("prompt"), what=f"{what}.prompt")
    if "answers" in value:
        if "options" in value or "answer" in value:
            raise Invalid(
                f"{what} is either a choice (options, answer) or typed (answers)"
            )
        keys, _answers = clean_keys(
            value["answers"], what=f"{what}.answers", maximum=20
        )
        return {"prompt": prompt, "answers": keys}
    options = clean_texts(
        value.get("options"), what=f"{what}.options", minimum=2, maximum=6
    )
    answer = clean_text(value.get("answer"), what=f"{what}.answer")
    if answer not in options:
        raise Invalid(f"{what}.answer must be one of its options")
    return {"prompt": prompt, "options": options, "answer": answer}


def validate_reading(item: dict) -> dict:
    title = clean_text(item.get("title"), what="title", maximum=MAX_TITLE)
    text = clean_text(item.get("text"), what="text", maximum=MAX_READING_TEXT)
    questions = item.get("questions")
    low, high = READING_QUESTIONS
    if not isinstance(questions, list) or not low <= len(questions) <= high:
        raise Invalid(f"questions must be a list of {low} to {high} questions")
    cleaned = [
        _reading_question(question, what=f"questions[{i}]")
        for i, question in enumerate(questions)
    ]
    if len({normalise(q["prompt"]) for q in cleaned}) != len(cleaned):
        raise Invalid("two questions have the same prompt")
    return {"title": title, "text": text, "questions": cleaned}


KIND_VALIDATORS = {
    "choice": validate_choice,
    "cloze": validate_cloze,
    "translate": validate_translate,
    "order": validate_order,
    "match": validate_match,
    "reading": validate_reading,
}


def payload_errors(kind: str, payload: Any) -> list[str]:
    """Problems with a stored payload (used by the admin editor)."""
    if kind not in KIND_VALIDATORS:
        return [f"kind must be one of {', '.join(KINDS)}"]
    if not isinstance(payload, dict):
        return ["the payload must be a mapping"]
    unknown = set(payload) - set(KIND_FIELDS[kind])
    if unknown:
        return [f"unknown field {name!r} for kind {kind}" for name in sorted(unknown)]
    try:
        KIND_VALIDATORS[kind](payload)
    except Invalid as error:
        return [str(error)]
    return []
