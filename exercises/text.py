"""Text helpers for grading: the answer normaliser and edit distances.

Pure functions, no Django: the grader and the content validator both use them.
"""

import re
import unicodedata

# Typographic quotes and dashes a phone keyboard may produce, mapped to ASCII.
_QUOTES = {
    ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e"
} | {ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2039\u203a\u2032`\u00b4"}
_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"}
_TRANSLATE = _QUOTES | _DASHES
_SPACES = re.compile(r"\s+")
# Sentence-final punctuation (and any spaces between) that never changes a verdict.
_FINAL_PUNCTUATION = re.compile(r"[\s.!?\u2026;:,]+$")
# Punctuation clinging to a word: "Rīgā," and "(pienu)" are the words rīgā, pienu.
_EDGE_PUNCTUATION = "\"'.,!?\u2026;:()[]{}-"

# Letters whose base letter Unicode decomposition does not give.
_BASE_LETTERS = {"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ŧ": "t"}


def _normalise_once(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.lower()
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_TRANSLATE)
    text = _SPACES.sub(" ", text).strip()
    return _FINAL_PUNCTUATION.sub("", text)


def _written_once(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_TRANSLATE)
    text = _SPACES.sub(" ", text).strip()
    return _FINAL_PUNCTUATION.sub("", text)


def written_tokens(text: str) -> list[str]:
    """The words of a text as written (capitals kept), one per word of
    ``tokens(normalise(text))`` when lower-casing keeps the words apart."""
    words = (word.strip(_EDGE_PUNCTUATION) for word in _written_once(text).split(" "))
    return [word for word in words if word]


def normalise(text: str) -> str:
    """Compare form of an answer: NFC, lower case, one space between words,
    ASCII quotes and dashes, no final punctuation.

    Lower-casing can leave a string that composes differently, so the steps
    run until nothing changes (at most a few rounds): the result is idempotent.
    """
    for _ in range(4):
        result = _normalise_once(text)
        if result == text:
            break
        text = result
    return text


def tokens(normalised: str) -> list[str]:
    """The words of a normalised answer, without punctuation around them."""
    words = (word.strip(_EDGE_PUNCTUATION) for word in normalised.split(" "))
    return [word for word in words if word]


def base_letter(letter: str) -> str:
    if letter in _BASE_LETTERS:
        return _BASE_LETTERS[letter]
    return unicodedata.normalize("NFD", letter)[0]


def strip_map(diacritics: str) -> dict[int, str]:
    """A str.translate table taking each diacritic letter to its base letter."""
    letters = unicodedata.normalize("NFC", diacritics.lower())
    return {ord(c): base_letter(c) for c in letters if not c.isspace()}


def osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions
    and swaps of two neighbouring letters each cost one."""
    if a == b:
        return 0
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        previous_previous, previous = previous, current
    return previous[len(b)]
