"""What a client sees of each kind, and the answer shape it sends back.

Rendering never reveals accepted answers, the correct option or the pairing.
Options and match items carry short ids derived from the exercise key and the
item's text, so they stay stable when content is re-imported in another order.
The display order is shuffled deterministically per exercise; a match's right
column is deranged, so no right item ever sits beside its partner.
"""

import hashlib
import random
from typing import Any

from django.utils.translation import gettext as _

from backend.api.errors import InvalidInput
from exercises.answer_keys import first_answer
from exercises.content_format import BLANK
from exercises.models import Exercise
from exercises.text import normalise, tokens

MAX_ANSWER_TEXT = 500
MAX_ORDER_WORDS = 50


def item_id(exercise_key: str, side: str, text: str) -> str:
    digest = hashlib.sha256(f"{exercise_key}\x1f{side}\x1f{text}".encode())
    return digest.hexdigest()[:8]


def _shuffled(items: list, seed: str) -> list:
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


def _deranged(items: list, seed: str) -> list:
    """A seeded random cyclic permutation (Sattolo): no item keeps its place.

    A plain shuffle leaves items in place often enough that some match items
    came out in pairing order, which gives the answer away.
    """
    items = list(items)
    rng = random.Random(seed)
    for i in range(len(items) - 1, 0, -1):
        j = rng.randrange(i)
        items[i], items[j] = items[j], items[i]
    return items


def translated(texts: dict[str, str], language: str) -> str:
    """The text in the interface language, falling back to English."""
    if not texts:
        return ""
    return texts.get(language) or texts.get("en") or next(iter(texts.values()))


def choice_options(exercise: Exercise) -> list[dict[str, str]]:
    options = [
        {"id": item_id(exercise.key, "option", text), "text": text}
        for text in exercise.payload["options"]
    ]
    return _shuffled(options, f"{exercise.key}:options")


def question_options(exercise: Exercise, index: int) -> list[dict[str, str]]:
    """A reading question's options (ids unique across the exercise's questions)."""
    question = exercise.payload["questions"][index]
    side = f"question{index}"
    options = [
        {"id": item_id(exercise.key, side, text), "text": text}
        for text in question["options"]
    ]
    return _shuffled(options, f"{exercise.key}:{side}")


def reading_questions(exercise: Exercise) -> list[dict[str, Any]]:
    questions = []
    for index, question in enumerate(exercise.payload["questions"]):
        rendered: dict[str, Any] = {"prompt": question["prompt"]}
        if "options" in question:
            rendered["type"] = "choice"
            rendered["options"] = question_options(exercise, index)
        else:
            rendered["type"] = "text"
        questions.append(rendered)
    return questions


def match_sides(exercise: Exercise) -> tuple[list[dict], list[dict]]:
    pairs = exercise.payload["pairs"]
    left = [{"id": item_id(exercise.key, "left", a), "text": a} for a, _b in pairs]
    right = [{"id": item_id(exercise.key, "right", b), "text": b} for _a, b in pairs]
    return left, _deranged(right, f"{exercise.key}:right")


def task_render(exercise: Exercise, *, language: str) -> dict[str, Any]:
    """The kind-specific part a client needs to render the exercise."""
    payload = exercise.payload
    match exercise.kind:
        case Exercise.Kind.CHOICE:
            return {"options": choice_options(exercise)}
        case Exercise.Kind.CLOZE:
            return {"text": payload["text"], "blanks": payload["text"].count(BLANK)}
        case Exercise.Kind.TRANSLATE:
            return {"source": translated(payload["source"], language)}
        case Exercise.Kind.ORDER:
            return {"words": payload["words"]}
        case Exercise.Kind.MATCH:
            left, right = match_sides(exercise)
            return {"left": left, "right": right}
        case Exercise.Kind.READING:
            return {
                "title": payload["title"],
                "text": payload["text"],
                "questions": reading_questions(exercise),
            }
    raise ValueError(f"Unknown exercise kind {exercise.kind!r}")


def correct_answer(exercise: Exercise) -> Any:
    """The (first) accepted answer, shown after an attempt."""
    payload = exercise.payload
    match exercise.kind:
        case Exercise.Kind.CHOICE:
            text = payload["answer"]
            return {"id": item_id(exercise.key, "option", text), "text": text}
        case Exercise.Kind.CLOZE:
            return [first_answer(accepted) for accepted in payload["blanks"]]
        case Exercise.Kind.TRANSLATE | Exercise.Kind.ORDER:
            return first_answer(payload["answers"])
        case Exercise.Kind.MATCH:
            return [
                {
                    "left": item_id(exercise.key, "left", a),
                    "right": item_id(exercise.key, "right", b),
                }
                for a, b in payload["pairs"]
            ]
        case Exercise.Kind.READING:
            answers: list[Any] = []
            for index, question in enumerate(payload["questions"]):
                if "options" in question:
                    text = question["answer"]
                    side = f"question{index}"
                    answers.append(
                        {"id": item_id(exercise.key, side, text), "text": text}
                    )
                else:
                    answers.append(first_answer(question["answers"]))
            return answers
    raise ValueError(f"Unknown exercise kind {exercise.kind!r}")


# --- Answers --------------------------------------------------------------------


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_answer", fields={"answer": [message]})


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _invalid(_("The answer must be text."))
    if "\x00" in value or not _encodable(value):
        # PostgreSQL cannot store NUL or lone surrogates in JSON.
        raise _invalid(_("The answer contains characters that are not allowed."))
    if len(value) > MAX_ANSWER_TEXT:
        raise _invalid(
            _("The answer is too long (at most %(max)d characters).")
            % {"max": MAX_ANSWER_TEXT}
        )
    return value


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _blank(text: str) -> bool:
    """Nothing but spaces and punctuation: no answer at all."""
    return not tokens(normalise(text))


def _not_blank(texts: list[str]) -> None:
    if all(_blank(text) for text in texts):
        raise _invalid(_("The answer is empty."))


def _text_list(value: Any, *, length: int | None = None) -> list[str]:
    if not isinstance(value, list):
        raise _invalid(_("The answer must be a list of texts."))
    if length is not None and len(value) != length:
        raise _invalid(
            _("The answer must have exactly %(count)d entries.") % {"count": length}
        )
    if not 1 <= len(value) <= MAX_ORDER_WORDS:
        raise _invalid(
            _("The answer must have 1 to %(max)d entries.") % {"max": MAX_ORDER_WORDS}
        )
    return [_text(item) for item in value]


def answer_parse(exercise: Exercise, answer: Any) -> Any:
    """Check the answer's shape for the kind; return it in grading form.

    - choice: an option id → the option's text;
    - cloze: a list of texts, one per blank;
    - translate: a text;
    - order: a list of words;
    - match: a list of [left id, right id] pairs using every item once →
      a list of (left text, right text);
    - reading: a list with one entry per question, in order: the chosen
      option's id for a choice question, a text for a typed one → a list of
      texts.

    Raises InvalidInput (400, code ``invalid_answer``) for anything else,
    including an answer with no words at all (blank, spaces, punctuation);
    a cloze with some blanks filled is an answer.
    """
    payload = exercise.payload
    match exercise.kind:
        case Exercise.Kind.CHOICE:
            options = {o["id"]: o["text"] for o in choice_options(exercise)}
            if not isinstance(answer, str) or answer not in options:
                raise _invalid(_("The answer must be the id of one of the options."))
            return options[answer]
        case Exercise.Kind.CLOZE:
            texts = _text_list(answer, length=payload["text"].count(BLANK))
            _not_blank(texts)
            return texts
        case Exercise.Kind.TRANSLATE:
            text = _text(answer)
            _not_blank([text])
            return text
        case Exercise.Kind.ORDER:
            texts = _text_list(answer)
            _not_blank(texts)
            return texts
        case Exercise.Kind.MATCH:
            return _match_answer(exercise, answer)
        case Exercise.Kind.READING:
            return _reading_answer(exercise, answer)
    raise ValueError(f"Unknown exercise kind {exercise.kind!r}")


def _match_answer(exercise: Exercise, answer: Any) -> list[tuple[str, str]]:
    left, right = match_sides(exercise)
    lefts = {item["id"]: item["text"] for item in left}
    rights = {item["id"]: item["text"] for item in right}
    message = _(
        "The answer must pair every left item with one right item: "
        "[[left id, right id], ...]."
    )
    if not isinstance(answer, list) or len(answer) != len(lefts):
        raise _invalid(message)
    pairs = []
    for pair in answer:
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(x, str) for x in pair)
            or pair[0] not in lefts
            or pair[1] not in rights
        ):
            raise _invalid(message)
        pairs.append((pair[0], pair[1]))
    if len({a for a, _b in pairs}) != len(pairs) or len({b for _a, b in pairs}) != len(
        pairs
    ):
        raise _invalid(message)
    return [(lefts[a], rights[b]) for a, b in pairs]


def _reading_answer(exercise: Exercise, answer: Any) -> list[str]:
    questions = exercise.payload["questions"]
    if not isinstance(answer, list) or len(answer) != len(questions):
        raise _invalid(
            _("The answer must be a list with one entry per question (%(count)d).")
            % {"count": len(questions)}
        )
    parsed = []
    for index, (question, given) in enumerate(zip(questions, answer, strict=True)):
        if "options" in question:
            options = {o["id"]: o["text"] for o in question_options(exercise, index)}
            if not isinstance(given, str) or given not in options:
                raise _invalid(
                    _("Answer %(number)d must be the id of one of its options.")
                    % {"number": index + 1}
                )
            parsed.append(options[given])
        else:
            parsed.append(_text(given))
    return parsed
