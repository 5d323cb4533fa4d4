"""The answer-key syntax: one written answer stands for several accepted ones.

Pure Python, no Django: the content format validates keys with it at import,
and the grader, the dispute service and the content checks expand them.

- ``[a|b|c]``: exactly one of the alternatives (each may be several words);
- ``[a]``: optional, the same as ``[a|]`` (one empty alternative, last);
- everything outside brackets is literal.

``Es [pārcēlos|pārvācos] uz Rīgu [pērn|pagājušogad].`` is four answers. An
omitted word takes its space with it (``Es [ļoti] gribu`` gives ``Es gribu``,
``Gribu [to].`` gives ``Gribu.``), and when the key starts with a capital the
answer does too (``[Es] gribu kafiju.`` gives ``Gribu kafiju.``).

The first expansion (every first alternative) is the answer shown to a
learner who was wrong. Limits: no nesting, no ``|`` outside brackets, no empty
``[]``, at most one empty alternative (the last), and at most
``MAX_EXPANSIONS`` answers per item (all answers of a translation or order
item, or one blank of a cloze). ``{`` and ``}`` are reserved.
"""

import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

from exercises.text import normalise

MAX_EXPANSIONS = 200
SYNTAX = frozenset("[]|{}")
_SPACES = re.compile(r"\s+")
# An omitted word must not leave a space before closing punctuation or after
# an opening bracket.
_SPACE_BEFORE = re.compile(r"\s+([,.!?;:\u2026)\u201d\u00bb])")
_SPACE_AFTER = re.compile(r"([(\u201e\u00ab])\s+")


class AnswerKeyError(ValueError):
    """Why an answer key cannot be expanded (shown as ``file: key: reason``)."""


def _parse(pattern: str) -> list[list[str]]:
    """Split a key into slots: a literal is a one-choice slot."""
    slots: list[list[str]] = []
    literal: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char in "{}":
            raise AnswerKeyError(f"{char} is reserved in answer keys")
        if char == "|":
            raise AnswerKeyError("| outside [...] (alternatives go in brackets)")
        if char == "]":
            raise AnswerKeyError(f"] at character {index + 1} has no [")
        if char != "[":
            literal.append(char)
            index += 1
            continue
        end = pattern.find("]", index + 1)
        nested = pattern.find("[", index + 1)
        if end == -1:
            raise AnswerKeyError(f"[ at character {index + 1} is never closed")
        if nested != -1 and nested < end:
            raise AnswerKeyError("brackets cannot be nested")
        inside = pattern[index + 1 : end]
        if any(c in "{}" for c in inside):
            raise AnswerKeyError("{ and } are reserved in answer keys")
        choices = [choice.strip() for choice in inside.split("|")]
        if len(choices) == 1:
            choices.append("")  # [a] is [a|]
        if not choices[0] and len(choices) == 2 and not choices[1]:
            raise AnswerKeyError("[] has no alternative")
        if any(not choice for choice in choices[:-1]):
            raise AnswerKeyError(
                f"[{inside}] has an empty alternative (only the last may be empty)"
            )
        slots.append(["".join(literal)])
        literal = []
        slots.append(choices)
        index = end + 1
    slots.append(["".join(literal)])
    return slots


def _join(parts: Iterable[str], capital: bool) -> str:
    text = "".join(parts)
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    if capital:
        for i, char in enumerate(text):
            if char.isalpha():
                text = text[:i] + char.upper() + text[i + 1 :]
                break
    return text


def _starts_with_capital(pattern: str) -> bool:
    for char in pattern:
        if char.isalpha():
            return char.isupper()
    return False


@lru_cache(maxsize=8192)
def expand(pattern: str) -> tuple[str, ...]:
    """Every answer a key stands for, the written-first one first, without
    duplicates (compared as the grader compares). Raises AnswerKeyError."""
    slots = _parse(pattern)
    count = 1
    for choices in slots:
        count *= len(choices)
        if count > MAX_EXPANSIONS:
            raise AnswerKeyError(
                f"stands for more than {MAX_EXPANSIONS} answers; split it"
            )
    capital = _starts_with_capital(pattern)
    seen: set[str] = set()
    answers = []
    for combination in itertools.product(*slots):
        text = _join(combination, capital)
        key = normalise(text)
        if key in seen:
            continue
        seen.add(key)
        answers.append(text)
    if not any(normalise(answer) for answer in answers) or not all(
        normalise(answer) for answer in answers
    ):
        raise AnswerKeyError("one of its answers is empty")
    return tuple(answers)


def expand_all(patterns: Iterable[str]) -> list[str]:
    """The answers of several keys (one item's list), without duplicates."""
    seen: set[str] = set()
    answers = []
    for pattern in patterns:
        for answer in expand(pattern):
            key = normalise(answer)
            if key not in seen:
                seen.add(key)
                answers.append(answer)
    return answers


def first_answer(patterns: Iterable[str]) -> str:
    """The answer shown to a learner: the first expansion of the first key."""
    for pattern in patterns:
        return expand(pattern)[0]
    return ""


def has_syntax(text: str) -> bool:
    """Whether a text would be read as a key rather than as itself."""
    return any(char in SYNTAX for char in text)
