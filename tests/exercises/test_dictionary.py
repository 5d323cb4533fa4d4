"""The hunspell dictionaries shipped with the content packs. No database."""

import random
import re
from pathlib import Path

import pytest
from spylls.hunspell import Dictionary as Hunspell

from exercises.language.dictionary import (
    CONTENT,
    DictionaryMissing,
    dictionary_for,
    dictionary_path,
)


@pytest.mark.parametrize(
    ("language", "word", "real"),
    [
        ("lv", "dzīvokli", True),
        ("lv", "dzīvoklis", True),
        ("lv", "dzīvoklī", True),
        ("lv", "dzivoklis", False),
        ("lv", "klase", True),
        ("lv", "klasē", True),
        ("lv", "klasee", False),
        ("lv", "Rīgu", True),
        ("lv", "rīgu", True),  # a name typed in lower case is still the word
        ("lv", "rigu", False),
        ("lv", "godātais", True),  # two suffixes (godāt + ts + ais)
        ("lv", "pārvācos", True),
        ("pl", "mieszkanie", True),
        ("pl", "mieszkania", True),
        ("pl", "mieszkanei", False),
        ("pl", "dzień", True),
        ("pl", "dzien", False),
        ("pl", "poproszę", True),
        ("pl", "Warszawie", True),
    ],
)
def test_is_word_knows_real_words_from_slips(language, word, real):
    assert dictionary_for(language).is_word(word) is real


def test_stems_name_the_dictionary_entry():
    assert "dzīvoklis" in dictionary_for("lv").stems("dzīvokli")
    assert dictionary_for("lv").stems("dzivoklis") == frozenset()


def test_a_dictionary_loads_once_per_process():
    assert dictionary_for("lv") is dictionary_for("lv")


def test_the_dictionaries_ship_with_the_packs_and_their_licences():
    for language, name in (("lv", "lv_LV"), ("pl", "pl_PL")):
        assert dictionary_path(language) == CONTENT / language / name
        for suffix in (".LICENSE", ".COPYRIGHT", ".README.md"):
            assert (CONTENT / language / f"{name}{suffix}").is_file()


@pytest.mark.parametrize("language", ["xx", "../lv", ""])
def test_a_language_without_a_dictionary_says_so(language):
    with pytest.raises(DictionaryMissing):
        dictionary_for(language)


def test_the_faster_lookup_answers_as_spylls_does():
    """Every word of the Latvian content and a typo of each: same answers."""
    words = set()
    for path in (CONTENT / "lv").glob("*.yaml"):
        words |= set(re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8")))
    rng = random.Random(10)
    typos = set()
    for word in words:
        if len(word) > 3:
            i = rng.randrange(len(word))
            typos.add(word[:i] + word[i + 1 :])
    sample = sorted(words)[::6] + sorted(typos)[::6]
    reference = Hunspell.from_files(str(Path(dictionary_path("lv"))))
    fast = dictionary_for("lv")._lookup
    answers = {word: reference.lookup(word) for word in sample}
    assert True in answers.values() and False in answers.values()
    assert [w for w in sample if fast(w) != answers[w]] == []
