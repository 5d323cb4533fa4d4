"""Grading: a learner's answer and an exercise's payload in, a verdict out.

Pure Python, no queries: the caller loads the exercise and its language
profile. Answers reach here already parsed into their kind's shape
(``exercises.kinds.answer_parse``). Feedback items are structured data
(``code`` plus fields); ``feedback_render`` adds the translated messages.

Typed text is compared, after normalising (``exercises.text.normalise``),
with every answer the item's answer keys stand for (``exercises.answer_keys``),
word by word:

1. equal to an accepted answer: ``correct``;
2. only punctuation between words differs: ``almost`` (``punctuation``);
3. a word that differs from the expected one only in the language's marks,
   or by one edit (insertion, deletion, substitution or swap; words of four
   or more letters), or both, is a **slip** when the written word is not a
   real word of the language (the pack's hunspell dictionary): ``almost``,
   with ``diacritics`` (any number of words) and ``typo`` (one word at
   most) naming them;
4. when the written word *is* a real word (or the pair is one of the
   profile's confusables), it is another form or another word:
   ``incorrect``, ``wrong_form`` when both are forms of one dictionary entry
   (``dzīvoklis`` for ``dzīvokli``), else ``wrong_word`` (``sals`` for
   ``sāls``). A real form of the expected word further away (``pirkt`` for
   ``pērku``) is ``wrong_form`` too;
5. the right words in the wrong order (order and translate kinds):
   ``incorrect`` (``word_order``);
6. anything else: ``incorrect`` (``wrong_answer``).

Feedback quotes the learner's words as typed and the expected words as the
key writes them. Without a dictionary for the language, no word counts as
real except the confusables.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext, ngettext

from exercises.answer_keys import expand_all
from exercises.language.dictionary import Dictionary, dictionary_for, has_dictionary
from exercises.text import normalise, osa_distance, strip_map, tokens, written_tokens

CORRECT = "correct"
ALMOST = "almost"
INCORRECT = "incorrect"
_RANK = {CORRECT: 0, ALMOST: 1, INCORRECT: 2}

TYPO_MIN_LETTERS = 4
# Candidates looked up in the dictionary per answer, closest first: bounds
# the lookups (and the time) when a key stands for many answers.
MAX_CHECKED = 4


@dataclass(frozen=True)
class GradingProfile:
    """What grading needs to know about a language."""

    diacritics: str = ""
    confusables: Iterable[Sequence[str]] = ()
    # The content pack whose dictionary says what a real word is ("" = none).
    language: str = ""
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

    @property
    def dictionary(self) -> Dictionary | None:
        if self.language and has_dictionary(self.language):
            return dictionary_for(self.language)
        return None

    def is_word(self, word: str) -> bool:
        dictionary = self.dictionary
        return dictionary is not None and dictionary.is_word(word)

    def same_word(self, a: str, b: str) -> bool:
        """Forms of one dictionary entry (the bench/lemmatiser.py choice)."""
        dictionary = self.dictionary
        if dictionary is None:
            return False
        return bool(dictionary.stems(a) & dictionary.stems(b))


@dataclass
class Grade:
    verdict: str
    feedback: list[dict[str, Any]]


@dataclass(frozen=True)
class _Text:
    written: str
    norm: str
    words: tuple[str, ...]
    written_words: tuple[str, ...]
    bag: tuple[str, ...]


@lru_cache(maxsize=16384)
def _prepare(text: str) -> _Text:
    norm = normalise(text)
    words = tuple(tokens(norm))
    written = tuple(written_tokens(text))
    if len(written) != len(words) or any(
        normalise(w) != n for w, n in zip(written, words, strict=False)
    ):
        written = words  # lower-casing merged or split words: quote as compared
    return _Text(text.strip(), norm, words, written, tuple(sorted(words)))


# Kinds of difference between a written word and the expected one.
_MARKS, _TYPO, _MARKS_TYPO, _FAR = "marks", "typo", "marks_typo", "far"


def _difference(given: str, expected: str, profile: GradingProfile) -> str:
    if profile.strip(given) == profile.strip(expected):
        return _MARKS
    if len(expected) >= TYPO_MIN_LETTERS:
        if osa_distance(given, expected) == 1:
            return _TYPO
        if osa_distance(profile.strip(given), profile.strip(expected)) == 1:
            return _MARKS_TYPO
    return _FAR


def _diacritic_letters(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    letters: list[dict[str, str]] = []
    for given, expected in pairs:
        for a, b in zip(given, expected, strict=False):
            pair = {"from": a, "to": b}
            if a != b and pair not in letters:
                letters.append(pair)
    return letters


def _judge(
    answer: _Text, candidate: _Text, profile: GradingProfile
) -> tuple[int, int, list[dict[str, Any]]] | None:
    """(rank, issues, feedback) of the answer against one candidate of the same
    length: rank 1 almost, 2 incorrect with named words; None when another
    word is simply wrong."""
    marks: list[tuple[int, str, str]] = []
    typos: list[tuple[int, str, str, bool]] = []
    wrong: list[dict[str, Any]] = []
    for index, (given, expected) in enumerate(
        zip(answer.words, candidate.words, strict=True)
    ):
        if given == expected:
            continue
        kind = _difference(given, expected, profile)
        quoted = {
            "given": answer.written_words[index],
            "expected": candidate.written_words[index],
            "answer": candidate.written,
        }
        if kind == _FAR:
            # Only a real form of the expected word is worth naming.
            if profile.is_word(given) and profile.same_word(given, expected):
                wrong.append({"code": "wrong_form", **quoted})
                continue
            return None
        if profile.confusable(given, expected) or profile.is_word(given):
            code = "wrong_form" if profile.same_word(given, expected) else "wrong_word"
            wrong.append({"code": code, **quoted})
        elif kind == _MARKS:
            marks.append((index, given, expected))
        else:
            typos.append((index, given, expected, kind == _MARKS_TYPO))
    if len(typos) > 1:
        return None
    feedback: list[dict[str, Any]] = []
    if marks:
        feedback.append(
            {
                "code": "diacritics",
                "given": answer.written,
                "expected": candidate.written,
                "letters": _diacritic_letters((g, e) for _, g, e in marks),
                "words": [
                    {
                        "given": answer.written_words[i],
                        "expected": candidate.written_words[i],
                    }
                    for i, _, _ in marks
                ],
            }
        )
    for index, _given, _expected, with_marks in typos:
        feedback.append(
            {
                "code": "typo",
                "given": answer.written_words[index],
                "expected": candidate.written_words[index],
                "answer": candidate.written,
                "diacritics": with_marks,
            }
        )
    if wrong:
        return 2, len(wrong), wrong + feedback
    return 1, len(marks) + len(typos), feedback


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
    answer = _prepare(given)
    candidates = [_prepare(text) for text in expand_all(accepted)]

    # 1. Equal to an accepted answer.
    if any(answer.norm == c.norm for c in candidates):
        return Grade(CORRECT, [])

    # 2. Only the punctuation between words differs.
    for candidate in candidates:
        if candidate.words == answer.words:
            return Grade(
                ALMOST,
                [
                    {
                        "code": "punctuation",
                        "given": answer.written,
                        "expected": candidate.written,
                    }
                ],
            )

    # 3-4. Word by word against the closest candidates of the same length.
    same_length = []
    for candidate in candidates:
        if len(candidate.words) != len(answer.words):
            continue
        kinds = [
            _difference(g, e, profile)
            for g, e in zip(answer.words, candidate.words, strict=True)
            if g != e
        ]
        far = kinds.count(_FAR)
        if far <= 2:
            same_length.append(((far, len(kinds)), candidate))
    same_length.sort(key=lambda pair: pair[0])
    best = None
    for _closeness, candidate in same_length[:MAX_CHECKED]:
        judged = _judge(answer, candidate, profile)
        if judged is not None and (best is None or judged[:2] < best[:2]):
            best = judged
        if best is not None and best[0] == 1:
            break
    if best is not None:
        return Grade(ALMOST if best[0] == 1 else INCORRECT, best[2])

    # 5. The right words in the wrong order.
    if word_order and answer.words:
        for candidate in candidates:
            if candidate.bag == answer.bag:
                return Grade(
                    INCORRECT,
                    [
                        {
                            "code": "word_order",
                            "given": answer.written,
                            "expected": candidate.written,
                        }
                    ],
                )

    # 6. Anything else.
    expected = candidates[0].written if candidates else ""
    return Grade(
        INCORRECT,
        [{"code": "wrong_answer", "given": answer.written, "expected": expected}],
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
    if code == "meaning_changed":  # stored by earlier versions
        words = ", ".join(
            gettext("“%(given)s” instead of “%(expected)s”") % w for w in item["words"]
        )
        return gettext(
            "Careful: without its diacritics the word changes its meaning "
            "(%(words)s). The answer is “%(expected)s”."
        ) % {"words": words, "expected": item["expected"]}
    if code == "wrong_form":
        return (
            gettext(
                "Right word, wrong form: you wrote “%(given)s”, here it is "
                "“%(expected)s”."
            )
            % item
        )
    if code == "wrong_word":
        return (
            gettext(
                "“%(given)s” is another word: here it is “%(expected)s”. The answer "
                "is “%(answer)s”."
            )
            % item
        )
    if code == "punctuation":
        return gettext("Almost: mind the punctuation, it is “%(expected)s”.") % item
    if code == "typo" and item.get("diacritics"):
        return (
            gettext(
                "Almost: a typo and a missing mark in “%(given)s”, it is "
                "“%(expected)s”."
            )
            % item
        )
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


def feedback_render(
    feedback: list[dict[str, Any]], *, explanation: str = ""
) -> list[dict[str, Any]]:
    """Stored feedback items with their message in the active language.

    A ``wrong_form`` message ends with the item's explanation (in the reader's
    language), which says why this form is the one needed here.
    """
    rendered = []
    for item in feedback:
        message = _message(item)
        if item.get("code") == "wrong_form" and explanation:
            message = f"{message} {explanation}"
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
