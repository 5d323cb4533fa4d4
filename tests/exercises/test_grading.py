"""The grading rules, as table tests with real Latvian words, and property tests
for the normaliser and the typo rule. Pure Python: no database."""

import string
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from exercises.grading import (
    GradingProfile,
    feedback_render,
    grade,
    grade_text,
)
from exercises.text import normalise, osa_distance

LATVIAN = GradingProfile(
    diacritics="āčēģīķļņšūž",
    confusables=[["lapa", "lāpa"], ["sals", "sāls"], ["kaza", "kaža"]],
)


@pytest.mark.parametrize(
    ("given", "accepted", "verdict", "code"),
    [
        # 1. equal after normalising
        ("Es gribu mācīties", ["Es gribu mācīties"], "correct", None),
        ("  es   GRIBU mācīties. ", ["Es gribu mācīties"], "correct", None),
        ("Gribu mācīties!", ["Es gribu mācīties", "Gribu mācīties"], "correct", None),
        ("ma\u0304ci\u0304ties", ["mācīties"], "correct", None),  # NFD input
        ("„Labdien”", ['"Labdien"'], "correct", None),
        ("Rīga – Jūrmala", ["Rīga - Jūrmala"], "correct", None),
        ("Vai tu nāksi?", ["Vai tu nāksi"], "correct", None),
        # 2. only diacritics differ
        ("macities", ["mācīties"], "almost", "diacritics"),
        ("Es gribu macities", ["Es gribu mācīties"], "almost", "diacritics"),
        ("Ludzu", ["Lūdzu"], "almost", "diacritics"),
        ("zemenes", ["zemenes", "žemenes"], "correct", None),
        # 2b. ... unless it becomes the other word of a confusable pair
        ("sals", ["sāls"], "incorrect", "wrong_word"),
        (
            "Lūdzu, padodiet sals",
            ["Lūdzu, padodiet sāls"],
            "incorrect",
            "wrong_word",
        ),
        ("lapa", ["lāpa"], "incorrect", "wrong_word"),
        ("lāpa", ["lapa"], "incorrect", "wrong_word"),
        # 3. only the punctuation between words differs
        ("Labdien es esmu Anna", ["Labdien, es esmu Anna"], "almost", "punctuation"),
        # 4. one typo in a word of 4+ letters
        ("mācītes", ["mācīties"], "almost", "typo"),  # deletion
        ("skolla", ["skola"], "almost", "typo"),  # insertion
        ("skila", ["skola"], "almost", "typo"),  # substitution
        ("skloa", ["skola"], "almost", "typo"),  # swap
        ("Es eju uz skloa", ["Es eju uz skola"], "almost", "typo"),
        ("us", ["uz"], "incorrect", "wrong_answer"),  # too short for a typo
        ("sklai", ["skola"], "incorrect", "wrong_answer"),  # two edits
        ("macītes", ["mācīties"], "almost", "typo"),  # diacritic + typo, both named
        ("Es ej uz skloa", ["Es eju uz skola"], "incorrect", "wrong_answer"),
        # 5. right words, wrong order (translate and order kinds only)
        ("gribu es mācīties", ["Es gribu mācīties"], "incorrect", "word_order"),
        # 6. anything else
        ("Es gribu ēst", ["Es gribu mācīties"], "incorrect", "wrong_answer"),
        ("", ["Es gribu mācīties"], "incorrect", "wrong_answer"),
    ],
)
def test_text_rules(given, accepted, verdict, code):
    result = grade_text(given, accepted, LATVIAN, word_order=True)
    assert result.verdict == verdict
    assert [item["code"] for item in result.feedback] == ([code] if code else [])


def test_word_order_applies_only_where_order_matters():
    result = grade_text("gribu es mācīties", ["Es gribu mācīties"], LATVIAN)
    assert [item["code"] for item in result.feedback] == ["wrong_answer"]


def test_diacritics_feedback_names_the_letters_once_each():
    result = grade_text("macities", ["mācīties"], LATVIAN)
    (item,) = result.feedback
    assert item["letters"] == [{"from": "a", "to": "ā"}, {"from": "i", "to": "ī"}]
    assert item["given"] == "macities"
    assert item["expected"] == "mācīties"
    (rendered,) = feedback_render(result.feedback)
    assert "a → ā, i → ī" in rendered["message"]
    assert "“macities”" in rendered["message"] and "“mācīties”" in rendered["message"]


def test_a_confusable_pair_names_both_words():
    result = grade_text("Sals", ["Sāls"], LATVIAN)
    (item,) = result.feedback
    assert (item["code"], item["given"], item["expected"]) == (
        "wrong_word",
        "Sals",
        "Sāls",
    )
    assert "“Sals”" in feedback_render(result.feedback)[0]["message"]


def test_typo_gives_the_corrected_word():
    result = grade_text("Es eju uz skloa", ["Es eju uz skola"], LATVIAN)
    (item,) = result.feedback
    assert (item["given"], item["expected"]) == ("skloa", "skola")


def test_diacritics_of_another_language_are_not_latvian_ones():
    # "à" is not a Latvian letter: one wrong letter, so a typo, not diacritics.
    result = grade_text("màja", ["māja"], LATVIAN)
    assert [i["code"] for i in result.feedback] == ["typo"]


def test_polish_profile_strips_polish_letters():
    polish = GradingProfile(diacritics="ąćęłńóśźż")
    result = grade_text("dzien dobry", ["dzień dobry"], polish)
    assert result.verdict == "almost"
    assert result.feedback[0]["letters"] == [{"from": "n", "to": "ń"}]
    result = grade_text("zolty", ["żółty"], polish)
    assert result.feedback[0]["code"] == "diacritics"
    result = grade_text("lodz", ["łódź"], polish)
    assert result.feedback[0]["code"] == "diacritics"


@pytest.mark.parametrize(
    ("answer", "verdict", "codes"),
    [
        (["pērku", "sāli"], "correct", []),
        (["nopērku", "SĀLI."], "correct", []),
        (["pērku", "sali"], "almost", ["diacritics"]),
        (["perku", "cukuru"], "incorrect", ["diacritics", "wrong_answer"]),
    ],
)
def test_cloze_grades_each_blank_and_keeps_the_worst(answer, verdict, codes):
    payload = {
        "text": "Es ___ maizi un ___.",
        "blanks": [["pērku", "nopērku"], ["sāli"]],
    }
    result = grade("cloze", payload, answer, LATVIAN)
    assert result.verdict == verdict
    assert [item["code"] for item in result.feedback] == codes
    if codes:
        assert result.feedback[-1]["blank"] == 1
        assert feedback_render(result.feedback)[-1]["message"].startswith("Blank 2:")


def test_order_kind_reports_word_order():
    payload = {"words": ["Rīgā", "dzīvoju", "Es"], "answers": ["Es dzīvoju Rīgā"]}
    assert grade("order", payload, ["Es", "dzīvoju", "Rīgā"], LATVIAN).verdict == (
        "correct"
    )
    result = grade("order", payload, ["dzīvoju", "Es", "Rīgā"], LATVIAN)
    assert (result.verdict, result.feedback[0]["code"]) == ("incorrect", "word_order")


def test_choice_and_match():
    choice = {"options": ["maizi", "maize"], "answer": "maizi"}
    assert grade("choice", choice, "maizi", LATVIAN).verdict == "correct"
    wrong = grade("choice", choice, "maize", LATVIAN)
    assert (wrong.verdict, wrong.feedback[0]["code"]) == ("incorrect", "wrong_option")

    match = {"pairs": [["maize", "bread"], ["piens", "milk"]]}
    right = [("maize", "bread"), ("piens", "milk")]
    assert grade("match", match, right, LATVIAN).verdict == "correct"
    crossed = grade("match", match, [("maize", "milk"), ("piens", "bread")], LATVIAN)
    assert crossed.verdict == "incorrect"
    assert crossed.feedback[0]["code"] == "wrong_pairs"
    assert len(crossed.feedback[0]["pairs"]) == 2
    assert feedback_render(crossed.feedback)[0]["message"] == "2 pairs are not right."


# --- Properties -------------------------------------------------------------------

LATVIAN_LETTERS = "aābcčdeēfgģhiījkķlļmnņoprsštuūvzž"
words = st.text(alphabet=LATVIAN_LETTERS, min_size=1, max_size=10)
phrases = st.lists(words, min_size=1, max_size=5).map(" ".join)


@given(st.text())
def test_normalise_is_idempotent_and_nfc(text):
    once = normalise(text)
    assert normalise(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert normalise(unicodedata.normalize("NFD", text)) == once


@given(phrases)
def test_normalise_ignores_case(text):
    assert normalise(text.upper()) == normalise(text) == normalise(text.title())


@given(phrases, st.sampled_from([" ", "  ", "\t", "\u00a0", " \n "]))
def test_normalise_ignores_surrounding_and_repeated_space(text, space):
    spaced = space + text.replace(" ", space + " ") + space
    assert normalise(spaced) == normalise(text)


@given(phrases, st.sampled_from(["„", "“", "”", "«", "»"]), st.sampled_from("‘’‚"))
def test_normalise_ignores_typographic_quotes(text, double, single):
    plain = f"\"{text}\" '{text}'"
    fancy = f"{double}{text}{double} {single}{text}{single}"
    assert normalise(fancy) == normalise(plain)


@given(phrases, st.sampled_from(["–", "—", "‑", "−"]))
def test_normalise_ignores_dash_style(text, dash):
    assert normalise(f"{text} {dash} {text}") == normalise(f"{text} - {text}")


@given(phrases, st.sampled_from([".", "!", "?", "…", " .", "?!", "...", ";"]))
def test_normalise_ignores_final_punctuation(text, ending):
    assert normalise(text + ending) == normalise(text)


def _single_edits(word: str, alphabet: str) -> set[str]:
    """Every string one insertion, deletion, substitution or swap away."""
    edits = set()
    for i in range(len(word) + 1):
        for letter in alphabet:
            edits.add(word[:i] + letter + word[i:])
    for i in range(len(word)):
        edits.add(word[:i] + word[i + 1 :])
        for letter in alphabet:
            edits.add(word[:i] + letter + word[i + 1 :])
        if i + 1 < len(word):
            edits.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    edits.discard(word)
    return edits


ASCII = string.ascii_lowercase


@st.composite
def single_edit(draw, word):
    position = draw(st.integers(0, len(word) - 1))
    letter = draw(st.sampled_from(ASCII))
    match draw(st.sampled_from(["insert", "delete", "substitute", "swap"])):
        case "insert":
            return word[:position] + letter + word[position:]
        case "delete":
            return word[:position] + word[position + 1 :]
        case "substitute":
            return word[:position] + letter + word[position + 1 :]
        case _:
            position = min(position, len(word) - 2)
            return (
                word[:position]
                + word[position + 1]
                + word[position]
                + word[position + 2 :]
            )


@given(st.data(), st.text(alphabet=ASCII, min_size=4, max_size=12))
def test_any_single_edit_of_a_long_word_is_a_typo(data, word):
    edited = data.draw(single_edit(word))
    assume(edited != word)
    result = grade_text(f"es {edited} te", [f"es {word} te"], LATVIAN)
    assert result.verdict == "almost"
    assert result.feedback[0]["code"] == "typo"
    assert result.feedback[0]["expected"] == word


@given(st.data(), st.text(alphabet=ASCII, min_size=4, max_size=10))
def test_two_edits_are_not_a_typo(data, word):
    edited = data.draw(single_edit(data.draw(single_edit(word))))
    assume(edited != word and edited not in _single_edits(word, ASCII))
    result = grade_text(edited, [word], LATVIAN)
    assert result.verdict == "incorrect"


@given(st.text(alphabet=ASCII, min_size=1, max_size=3), st.data())
def test_short_words_get_no_typo_allowance(word, data):
    edited = data.draw(single_edit(word)) if len(word) > 1 else word + "x"
    assume(edited != word)
    assert grade_text(edited, [word], LATVIAN).verdict == "incorrect"


@given(st.text(alphabet=ASCII, max_size=8), st.text(alphabet=ASCII, max_size=8))
def test_osa_distance_agrees_with_the_single_edit_set(a, b):
    assert (osa_distance(a, b) == 1) == (b in _single_edits(a, ASCII))
