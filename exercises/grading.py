"""Grading: a learner's answer and an exercise's payload in, a verdict out.

Pure Python, no queries: the caller loads the exercise and its language
profile. Answers reach here already parsed into their kind's shape
(``exercises.kinds.answer_parse``). Feedback items are structured data
(``code`` plus fields); ``feedback_render`` adds the translated messages.

Rules for typed text, in order, after normalising both sides
(``exercises.text.normalise``):

1. equal to an accepted answer: ``correct``;
2. differs only in the language's diacritic letters: ``almost`` (``diacritics``,
   naming the letters), unless a word turned into the other half of a
   confusable pair: ``incorrect`` (``meaning_changed``);
3. differs only in punctuation between words: ``almost`` (``punctuation``);
4. one typo (insertion, deletion, substitution or swap) in one word of four or
   more letters: ``almost`` (``typo``, with the corrected word);
5. the right words in the wrong order (order and translate kinds):
   ``incorrect`` (``word_order``);
6. anything else: ``incorrect`` (``wrong_answer``).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, ngettext

from exercises.answer_keys import expand_all
from exercises.text import normalise, osa_distance, strip_map, tokens

CORRECT = "correct"
ALMOST = "almost"
INCORRECT = "incorrect"
_RANK = {CORRECT: 0, ALMOST: 1, INCORRECT: 2}

TYPO_MIN_LETTERS = 4


@dataclass(frozen=True)
class GradingProfile:
    """What grading needs to know about a language."""

    diacritics: str = ""
    confusables: Iterable[Sequence[str]] = ()
    _strip: dict[int, str] = field(init=False, repr=False, compare=False)
    _pairs: frozenset[frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_strip", strip_map(self.diacritics))
        pairs = frozenset(
            frozenset(normalise(word) for word in pair)
            for pair in self.confusables
            if len(pair) == 2
        )
        object.__setattr__(self, "_pairs", pairs)

    def strip(self, text: str) -> str:
        return text.translate(self._strip)

    def confusable(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self._pairs


@dataclass
class Grade:
    verdict: str
    feedback: list[dict[str, Any]]


def _diacritic_letters(given: str, expected: str) -> list[dict[str, str]]:
    letters: list[dict[str, str]] = []
    for a, b in zip(given, expected, strict=False):
        pair = {"from": a, "to": b}
        if a != b and pair not in letters:
            letters.append(pair)
    return letters


def grade_text(
    given: str,
    accepted: Sequence[str],
    profile: GradingProfile,
    *,
    word_order: bool = False,
) -> Grade:
    """Grade a typed answer against the accepted answers (see module docs).

    ``accepted`` are answer keys (``exercises.answer_keys``), expanded here.
    """
    answer = normalise(given)
    candidates = [(text, normalise(text)) for text in expand_all(accepted)]

    # 1. Equal to an accepted answer.
    if any(answer == norm for _, norm in candidates):
        return Grade(CORRECT, [])

    # 2. Only diacritics differ (a confusable word makes it another word).
    stripped = profile.strip(answer)
    changed_meaning = None
    for text, norm in candidates:
        if profile.strip(norm) != stripped:
            continue
        swapped = [
            {"given": g, "expected": e}
            for g, e in zip(tokens(answer), tokens(norm), strict=False)
            if g != e and profile.confusable(g, e)
        ]
        if not swapped:
            return Grade(
                ALMOST,
                [
                    {
                        "code": "diacritics",
                        "given": given.strip(),
                        "expected": text,
                        "letters": _diacritic_letters(answer, norm),
                    }
                ],
            )
        changed_meaning = changed_meaning or {
            "code": "meaning_changed",
            "given": given.strip(),
            "expected": text,
            "words": swapped,
        }
    if changed_meaning:
        return Grade(INCORRECT, [changed_meaning])

    answer_words = tokens(answer)

    # 3. Only the punctuation between words differs.
    for text, norm in candidates:
        if tokens(norm) == answer_words:
            return Grade(
                ALMOST,
                [{"code": "punctuation", "given": given.strip(), "expected": text}],
            )

    # 4. One typo in one word of four or more letters.
    for text, norm in candidates:
        expected_words = tokens(norm)
        if len(expected_words) != len(answer_words):
            continue
        different = [
            (g, e) for g, e in zip(answer_words, expected_words, strict=True) if g != e
        ]
        if len(different) != 1:
            continue
        wrong, right = different[0]
        if len(right) >= TYPO_MIN_LETTERS and osa_distance(wrong, right) == 1:
            return Grade(
                ALMOST,
                [
                    {
                        "code": "typo",
                        "given": wrong,
                        "expected": right,
                        "answer": text,
                    }
                ],
            )

    # 5. The right words in the wrong order.
    if word_order and answer_words:
        for text, norm in candidates:
            if sorted(tokens(norm)) == sorted(answer_words):
                return Grade(
                    INCORRECT,
                    [{"code": "word_order", "given": given.strip(), "expected": text}],
                )

    # 6. Anything else.
    expected = candidates[0][0] if candidates else ""
    return Grade(
        INCORRECT,
        [{"code": "wrong_answer", "given": given.strip(), "expected": expected}],
    )


def _worst(verdicts: Iterable[str]) -> str:
    return max(verdicts, key=_RANK.__getitem__, default=CORRECT)


def grade_choice(payload: dict, answer: str) -> Grade:
    """``answer`` is the chosen option's text (parsed from its id)."""
    if answer == payload["answer"]:
        return Grade(CORRECT, [])
    return Grade(
        INCORRECT,
        [{"code": "wrong_option", "given": answer, "expected": payload["answer"]}],
    )


def grade_cloze(payload: dict, answer: list[str], profile: GradingProfile) -> Grade:
    verdicts = []
    feedback: list[dict[str, Any]] = []
    for index, (given, accepted) in enumerate(
        zip(answer, payload["blanks"], strict=True)
    ):
        grade = grade_text(given, accepted, profile)
        verdicts.append(grade.verdict)
        feedback.extend({**item, "blank": index} for item in grade.feedback)
    return Grade(_worst(verdicts), feedback)


def grade_translate(payload: dict, answer: str, profile: GradingProfile) -> Grade:
    return grade_text(answer, payload["answers"], profile, word_order=True)


def grade_order(payload: dict, answer: list[str], profile: GradingProfile) -> Grade:
    return grade_text(" ".join(answer), payload["answers"], profile, word_order=True)


def grade_match(payload: dict, answer: list[tuple[str, str]]) -> Grade:
    """``answer`` is the learner's pairing as (left text, right text)."""
    expected = dict(map(tuple, payload["pairs"]))
    wrong = [
        {"left": left, "given": right, "expected": expected[left]}
        for left, right in answer
        if expected.get(left) != right
    ]
    if not wrong:
        return Grade(CORRECT, [])
    return Grade(INCORRECT, [{"code": "wrong_pairs", "pairs": wrong}])


def grade_reading(payload: dict, answer: list[str], profile: GradingProfile) -> Grade:
    """One verdict per question: a choice question like ``choice``, a typed one
    like a cloze blank. Feedback items carry the question's index; questions
    with no item were right. The exercise's verdict is the worst one."""
    verdicts = []
    feedback: list[dict[str, Any]] = []
    for index, (given, question) in enumerate(
        zip(answer, payload["questions"], strict=True)
    ):
        if "options" in question:
            result = grade_choice(question, given)
        else:
            result = grade_text(given, question["answers"], profile)
        verdicts.append(result.verdict)
        feedback.extend({**item, "question": index} for item in result.feedback)
    return Grade(_worst(verdicts), feedback)


def grade(kind: str, payload: dict, answer: Any, profile: GradingProfile) -> Grade:
    """Grade a parsed answer to an exercise of ``kind``."""
    match kind:
        case "choice":
            return grade_choice(payload, answer)
        case "cloze":
            return grade_cloze(payload, answer, profile)
        case "translate":
            return grade_translate(payload, answer, profile)
        case "order":
            return grade_order(payload, answer, profile)
        case "match":
            return grade_match(payload, answer)
        case "reading":
            return grade_reading(payload, answer, profile)
    raise ValueError(f"Unknown exercise kind {kind!r}")


# --- Messages -------------------------------------------------------------------


def _message(item: dict[str, Any]) -> str:
    code = item.get("code")
    if code == "diacritics":
        letters = ", ".join(f"{x['from']} → {x['to']}" for x in item["letters"])
        return gettext(
            "Mind the diacritics: you wrote “%(given)s”, it is “%(expected)s” "
            "(%(letters)s)."
        ) % {"given": item["given"], "expected": item["expected"], "letters": letters}
    if code == "meaning_changed":
        words = ", ".join(
            gettext("“%(given)s” instead of “%(expected)s”") % w for w in item["words"]
        )
        return gettext(
            "Careful: without its diacritics the word changes its meaning "
            "(%(words)s). The answer is “%(expected)s”."
        ) % {"words": words, "expected": item["expected"]}
    if code == "punctuation":
        return gettext("Almost: mind the punctuation, it is “%(expected)s”.") % item
    if code == "typo":
        return gettext("Almost: a typo in “%(given)s”, it is “%(expected)s”.") % item
    if code == "word_order":
        return (
            gettext("The words are right but the order is not: it is “%(expected)s”.")
            % item
        )
    if code == "wrong_answer":
        return gettext("Not quite: the answer is “%(expected)s”.") % item
    if code == "wrong_option":
        return gettext("Not this one: the answer is “%(expected)s”.") % item
    if code == "wrong_pairs":
        count = len(item["pairs"])
        return ngettext(
            "%(count)d pair is not right.", "%(count)d pairs are not right.", count
        ) % {"count": count}
    if code == "accepted_on_review":
        return gettext("A reviewer accepted your answer.")
    return ""


def feedback_render(feedback: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored feedback items with their message in the active language."""
    rendered = []
    for item in feedback:
        message = _message(item)
        if "blank" in item:
            message = gettext("Blank %(number)d: %(message)s") % {
                "number": item["blank"] + 1,
                "message": message,
            }
        elif "question" in item:
            message = gettext("Question %(number)d: %(message)s") % {
                "number": item["question"] + 1,
                "message": message,
            }
        rendered.append({"code": item["code"], "message": message, **item})
    return rendered
