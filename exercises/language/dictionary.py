"""Is this a real word? The hunspell dictionary shipped with a content pack.

Each language pack (``exercises/content/<lang>/``) ships its hunspell
``<name>.aff`` and ``<name>.dic`` with their licence, so grading works from a
fresh clone without system packages. ``spylls`` (hunspell in pure Python)
reads them; a dictionary is loaded once per process, on first use, because
loading takes seconds and tens of megabytes (see docs/performance.md).

    dictionary_for("lv").is_word("dzīvokli")  # True
    dictionary_for("lv").is_word("dzivoklis")  # False

No Django here: grading, the content checks and the bench use it alike.
"""

import gc
import re
import threading
from functools import lru_cache
from pathlib import Path

from spylls.hunspell import Dictionary as _Hunspell
from spylls.hunspell.algo.lookup import Lookup

CONTENT = Path(__file__).resolve().parent.parent / "content"
_LANGUAGE = re.compile(r"^[a-z]{2}$")


class DictionaryMissing(LookupError):
    """The language's pack has no hunspell dictionary."""


class _Lookup(Lookup):
    """spylls' lookup without its hopeless second-suffix searches.

    spylls tries to strip a second suffix behind every suffix it strips, and
    scans the whole suffix table to do so. A second suffix is only possible
    when the first one's flag is some suffix's continuation flag, so the
    other scans can never succeed; skipping them gives the same answers
    (checked on every word of the content in the tests) four times faster.
    """

    def __init__(self, aff, dic) -> None:
        super().__init__(aff, dic)
        self._continuation = frozenset(
            flag
            for suffixes in aff.SFX.values()
            for suffix in suffixes
            for flag in suffix.flags
        )

    def desuffix(
        self,
        word,
        required_flags,
        forbidden_flags,
        nested: bool = False,
        crossproduct: bool = False,
    ):
        if nested and required_flags and required_flags[0] not in self._continuation:
            return iter(())
        return super().desuffix(
            word,
            required_flags,
            forbidden_flags,
            nested=nested,
            crossproduct=crossproduct,
        )


class Dictionary:
    """One language's hunspell dictionary."""

    def __init__(self, path: Path) -> None:
        self.path = path
        hunspell = _Hunspell.from_files(str(path))
        self._lookup = _Lookup(hunspell.aff, hunspell.dic)
        self._dic = hunspell.dic
        # A lower-case word can only be a capitalised entry's form (rīgu:
        # Rīga) when it starts like one: skips a second lookup for most words.
        self._capitalised_starts = frozenset(
            stem[:2].lower() for stem in hunspell.dic.index if stem[:1].isupper()
        )
        # Per-instance caches (a method cache would keep the instance alive).
        self.is_word = lru_cache(maxsize=65536)(self._is_word)
        self.stems = lru_cache(maxsize=65536)(self._stems)

    def _is_word(self, word: str) -> bool:
        """Whether ``word`` is a correctly spelled word of the language, in
        any capitalisation: ``rīgu`` is a word because ``Rīgu`` is one."""
        word = word.strip()
        if not word:
            return False
        if self._lookup(word):
            return True
        if word[:2].lower() not in self._capitalised_starts:
            return False
        capitalised = word[0].upper() + word[1:]
        return capitalised != word and self._lookup(capitalised)

    def _stems(self, word: str) -> frozenset[str]:
        """The dictionary entries ``word`` is a form of (lower case): the
        stems of ``dzīvokli`` include ``dzīvoklis``. Empty for non-words."""
        stems = set()
        variants = {word}
        if word[:2].lower() in self._capitalised_starts:
            variants.add(word[:1].upper() + word[1:])
        for variant in variants:
            for form in self._lookup.good_forms(variant):
                stems.add(form.stem.lower())
        return frozenset(stems)


_LOCK = threading.Lock()
_LOADED: dict[str, Dictionary] = {}


def dictionary_path(language: str) -> Path:
    """``<content>/<lang>/<name>`` (without the suffix) of the pack's
    dictionary; raises DictionaryMissing."""
    if not _LANGUAGE.match(language):
        raise DictionaryMissing(f"{language!r} is not a language code")
    found = sorted((CONTENT / language).glob("*.dic"))
    for dic in found:
        if dic.with_suffix(".aff").is_file():
            return dic.with_suffix("")
    raise DictionaryMissing(f"no hunspell dictionary in {CONTENT / language}")


def has_dictionary(language: str) -> bool:
    try:
        dictionary_path(language)
    except DictionaryMissing:
        return False
    return True


def dictionary_for(language: str) -> Dictionary:
    """The language's dictionary, loaded on the first call in this process.

    Raises DictionaryMissing when the pack ships none."""
    loaded = _LOADED.get(language)
    if loaded is not None:
        return loaded
    with _LOCK:
        if language not in _LOADED:
            _LOADED[language] = Dictionary(dictionary_path(language))
            # Millions of long-lived objects: keep the garbage collector from
            # walking them again on every full collection (pauses of ~10 ms).
            gc.collect()
            gc.freeze()
        return _LOADED[language]
