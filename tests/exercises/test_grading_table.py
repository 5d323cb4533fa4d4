"""Realistic learner answers, graded with the real language profiles and the
hunspell dictionaries shipped with the content packs. No database.

Each row: what a learner typed, the item's answer keys, the verdict and the
feedback codes a teacher expects. A slip (a missing mark, one typo) is
"almost" only when the written word is not a real word; a real word is
another form (``wrong_form``) or another word (``wrong_word``).
"""

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exercises.grading import GradingProfile, feedback_render, grade_text

CONTENT = Path(__file__).resolve().parents[2] / "exercises" / "content"


def profile(language: str) -> GradingProfile:
    data = yaml.safe_load((CONTENT / language / "_profile.yaml").read_text("utf-8"))
    return GradingProfile(
        diacritics=data["diacritics"],
        confusables=data.get("confusables") or [],
        language=language,
    )


LV, PL = profile("lv"), profile("pl")

FLAT = ["Es meklēju dzīvokli."]
RIGA = ["Es dzīvoju Rīgā."]
MOVED = [
    "[Es] [pārcēlos|pārvācos] uz Rīgu [pērn|pagājušogad].",
    "[Pērn|Pagājušogad] [es] [pārcēlos|pārvācos] uz Rīgu.",
    "[Es] [pērn|pagājušogad] [pārcēlos|pārvācos] uz Rīgu.",
]
BREAD = ["Es pērku maizi."]
COOK = ["Es strādāju par pavāru."]
DOCTOR = ["[Es] [gribētu|vēlētos] pierakstīties pie ģimenes ārsta."]
HOURS = ["[Es] strādāju no [9|deviņiem] līdz [17|pieciem]."]
ANNA = ["Labdien, es esmu Anna."]
YESTERDAY = ["[Vakar es|Es vakar|Vakar] biju pie ārsta."]

LATVIAN = [
    # Real forms are not slips.
    ("Es meklēju dzīvoklis.", FLAT, "incorrect", ["wrong_form"]),
    ("Es meklēju dzīvoklī", FLAT, "incorrect", ["wrong_form"]),
    ("Es meklēju dzīvokļi", FLAT, "incorrect", ["wrong_form"]),
    ("Es dzīvoju Rīgu.", RIGA, "incorrect", ["wrong_form"]),
    ("Es dzīvoju Rīga", RIGA, "incorrect", ["wrong_form"]),
    ("es dzīvoju rīga", RIGA, "incorrect", ["wrong_form"]),
    ("klase", ["klasē"], "incorrect", ["wrong_form"]),
    ("Es pērku maize", BREAD, "incorrect", ["wrong_form"]),
    ("Es pērku maizē", BREAD, "incorrect", ["wrong_form"]),
    ("Es pērku maizī", BREAD, "almost", ["diacritics"]),  # no such form
    ("Es pirkt maizi", BREAD, "incorrect", ["wrong_form"]),
    ("pērc", ["pērku"], "incorrect", ["wrong_form"]),
    ("mācās", ["mācos"], "incorrect", ["wrong_form"]),
    ("Es strādāju par pavārs", COOK, "incorrect", ["wrong_form"]),
    ("Es strādāju par pavāri", COOK, "incorrect", ["wrong_form"]),
    ("Es gribētu pierakstīties pie ģimenes ārstu", DOCTOR, "incorrect", ["wrong_form"]),
    ("Es strādāju no deviņi līdz pieciem", HOURS, "incorrect", ["wrong_form"]),
    ("Man sāp galvu", ["Man sāp galva."], "incorrect", ["wrong_form"]),
    ("Mani sauc Annu", ["Mani sauc Anna."], "incorrect", ["wrong_form"]),
    ("Kur ir tuvākā pieturā?", ["Kur ir tuvākā pietura?"], "incorrect", ["wrong_form"]),
    # Real words that are other words.
    ("sals", ["sāls"], "incorrect", ["wrong_word"]),
    ("Es pērku mazi", BREAD, "incorrect", ["wrong_word"]),
    # ārste (a woman doctor) is derived from ārsts in the dictionary.
    ("Es gribētu pierakstīties pie ģimenes ārste", DOCTOR, "incorrect", ["wrong_form"]),
    ("Padodiet, lūdzu, sals", ["Padodiet, lūdzu, sāli."], "incorrect", ["wrong_word"]),
    # Slips: words that do not exist.
    ("Es meklēju dzivokli", FLAT, "almost", ["diacritics"]),
    ("Es mekleju dzivokli", FLAT, "almost", ["diacritics"]),
    ("Es meklēju dzīvkli", FLAT, "almost", ["typo"]),
    ("Es dzīvoju Rigā", RIGA, "almost", ["diacritics"]),
    ("Es dzivoju Riga", RIGA, "almost", ["diacritics"]),
    ("klasee", ["klasē"], "almost", ["typo"]),
    ("pērkut", ["pērku"], "almost", ["typo"]),
    ("Es stradāju par pavāru", COOK, "almost", ["diacritics"]),
    ("Es strādaju par pavaru", COOK, "almost", ["diacritics"]),
    ("Es strādāju par pavāu", COOK, "almost", ["typo"]),
    ("Es strādju par pavāru", COOK, "almost", ["typo"]),
    ("Es gribetu pierakstities pie gimenes arsta", DOCTOR, "almost", ["diacritics"]),
    ("Man sāp galv", ["Man sāp galva."], "almost", ["typo"]),
    # A missing mark plus one typo stays almost, both named.
    ("macītes", ["mācīties"], "almost", ["typo"]),
    ("Es mekleju dzīvkli", FLAT, "almost", ["diacritics", "typo"]),
    ("Es strādaju par pavāu", COOK, "almost", ["diacritics", "typo"]),
    # More than one typo, or other words: wrong.
    ("Es strdāju par pavru", COOK, "incorrect", ["wrong_answer"]),
    ("Es strādāju pa pavāru", COOK, "incorrect", ["wrong_answer"]),
    ("Es strādāju par pavāru un", COOK, "incorrect", ["wrong_answer"]),
    ("Es gribu ēst", BREAD, "incorrect", ["wrong_answer"]),
    # Word order variants and dropped pronouns from the keys.
    ("Pagājušogad es pārvācos uz Rīgu", MOVED, "correct", []),
    ("Pārcēlos uz Rīgu pērn", MOVED, "correct", []),
    ("Es pērn pārcēlos uz Rīgu", MOVED, "correct", []),
    ("Pērn pārvācos uz Rīgu.", MOVED, "correct", []),
    ("Uz Rīgu es pārcēlos pērn", MOVED, "incorrect", ["word_order"]),
    ("Gribētu pierakstīties pie ģimenes ārsta", DOCTOR, "correct", []),
    ("Vakar biju pie ārsta", YESTERDAY, "correct", []),
    ("Es vakar biju pie ārsta.", YESTERDAY, "correct", []),
    ("Biju vakar pie ārsta", YESTERDAY, "incorrect", ["word_order"]),
    # Synonyms and digits.
    ("Es vēlētos pierakstīties pie ģimenes ārsta.", DOCTOR, "correct", []),
    ("Es strādāju no 9 līdz 17", HOURS, "correct", []),
    ("Strādāju no deviņiem līdz pieciem.", HOURS, "correct", []),
    # Capitals and punctuation.
    ("es dzīvoju rīgā", RIGA, "correct", []),
    ("ES DZĪVOJU RĪGĀ!", RIGA, "correct", []),
    ("es dzīvoju rigā", RIGA, "almost", ["diacritics"]),
    ("labdien, es esmu anna", ANNA, "correct", []),
    ("Labdien es esmu Anna", ANNA, "almost", ["punctuation"]),
    ("Es pērku maizi", BREAD, "correct", []),
]

WANT = ["Szukam mieszkania."]
LUBLIN = ["[Ja] mieszkam w Lublinie."]
HELLO = ["Dzień dobry!"]
TICKET = ["Poproszę bilet normalny."]
COFFEE = ["Chcę kawę."]
EIGHT = ["Jest ósma."]
WEDNESDAY = ["Spotkajmy się w środę."]
SINCE = [
    "Mieszkam [w Lublinie od roku|od roku w Lublinie].",
    "Od roku mieszkam w Lublinie.",
]
STATION = ["Przepraszam, gdzie jest [dworzec|stacja]?"]
WORK = ["Pracuję od [9|dziewiątej] do [17|siedemnastej]."]
NAME = ["Mam na imię Anna."]
THANKS = ["Dziękuję bardzo."]
BREAD_PL = ["Ile kosztuje chleb?"]
BUY = ["[Chciałbym|Chciałabym] kupić bilet."]
WARSAW = ["Jadę do Warszawy."]
BIG = ["Mieszkanie jest duże."]

POLISH = [
    # Real forms are not slips.
    ("Szukam mieszkanie", WANT, "incorrect", ["wrong_form"]),
    ("Szukam mieszkaniem", WANT, "incorrect", ["wrong_form"]),
    ("Mieszkam w Lublin", LUBLIN, "incorrect", ["wrong_form"]),
    ("Dzień dobre", HELLO, "incorrect", ["wrong_form"]),
    ("Poproszę bilet normalne", TICKET, "incorrect", ["wrong_form"]),
    ("Poproszę bilety normalny", TICKET, "incorrect", ["wrong_form"]),
    ("Chce kawę", COFFEE, "incorrect", ["wrong_form"]),
    ("Chcę kawa", COFFEE, "incorrect", ["wrong_form"]),
    ("Jest ósmy", EIGHT, "incorrect", ["wrong_form"]),
    ("Spotkajmy się w środa", WEDNESDAY, "incorrect", ["wrong_form"]),
    ("Spotkajmy się w środzie", WEDNESDAY, "incorrect", ["wrong_form"]),
    ("Przepraszam, gdzie jest dworca?", STATION, "incorrect", ["wrong_form"]),
    ("Pracuje od 9 do 17", WORK, "incorrect", ["wrong_form"]),
    ("Pracuję od dziewiąta do siedemnastej", WORK, "incorrect", ["wrong_form"]),
    ("Mam na imię Annę", NAME, "incorrect", ["wrong_form"]),
    ("Dziękuje bardzo", THANKS, "incorrect", ["wrong_form"]),
    ("Ile kosztuję chleb?", BREAD_PL, "incorrect", ["wrong_form"]),
    ("Ile kosztują chleb?", BREAD_PL, "incorrect", ["wrong_form"]),
    ("Chciałbym kupić biletu", BUY, "incorrect", ["wrong_form"]),
    ("Jadę do Warszawa", WARSAW, "incorrect", ["wrong_form"]),
    ("Jadę do Warszawie", WARSAW, "incorrect", ["wrong_form"]),
    ("Mieszkanie jest duży", BIG, "incorrect", ["wrong_form"]),
    # The dictionary does not link suppletive forms (są, jest: być).
    ("Mieszkanie są duże", BIG, "incorrect", ["wrong_answer"]),
    # A real form next to a slip: wrong, and both are named.
    ("Chce kawe", COFFEE, "incorrect", ["wrong_form", "diacritics"]),
    # Real words that are other words.
    ("Cześć", ["Część"], "incorrect", ["wrong_word"]),
    (
        "Jadę do Warszawy ze mną",
        ["Jadę do Warszawy że mną"],
        "incorrect",
        ["wrong_word"],
    ),
    ("Mam kat", ["Mam kąt"], "incorrect", ["wrong_word"]),
    # Slips: words that do not exist.
    ("Szukam mieszkana", WANT, "almost", ["typo"]),
    ("Szukam mieszkanai", WANT, "almost", ["typo"]),
    ("Mieszkam w Lubline", LUBLIN, "almost", ["typo"]),
    ("Dzien dobry", HELLO, "almost", ["diacritics"]),
    ("Poprosze bilet normalny", TICKET, "almost", ["diacritics"]),
    ("Poproszę bilet normlny", TICKET, "almost", ["typo"]),
    ("Chcę kawe", COFFEE, "almost", ["diacritics"]),
    ("Spotkajmy sie w srode", WEDNESDAY, "almost", ["diacritics"]),
    ("Przepraszam, gdzie jest dworzc?", STATION, "almost", ["typo"]),
    ("Pracuję od dziewiatej do siedemnastej", WORK, "almost", ["diacritics"]),
    ("Mam na imie Anna", NAME, "almost", ["diacritics"]),
    ("Dziekuje bardzo", THANKS, "almost", ["diacritics"]),
    ("Dziękuję bardzio", THANKS, "almost", ["typo"]),
    ("Ile kosztuje chlep?", BREAD_PL, "almost", ["typo"]),
    ("Chciałbym kupic bilet", BUY, "almost", ["diacritics"]),
    ("Chcialbym kupić bilet", BUY, "almost", ["diacritics"]),
    ("Mieszkanie jest duze", BIG, "almost", ["diacritics"]),
    # A missing mark plus one typo stays almost, both named.
    ("Poprosze bilet normlny", TICKET, "almost", ["diacritics", "typo"]),
    ("Dziekuje bardzio", THANKS, "almost", ["diacritics", "typo"]),
    # Other words or more than one typo: wrong.
    ("Jest osiem", EIGHT, "incorrect", ["wrong_answer"]),
    ("Spotkajmy się w sobotę", WEDNESDAY, "incorrect", ["wrong_answer"]),
    ("Poproszę blet normlny", TICKET, "incorrect", ["wrong_answer"]),
    # Word order variants and dropped pronouns from the keys.
    ("Mieszkam w Lublinie", LUBLIN, "correct", []),
    ("Ja mieszkam w Lublinie.", LUBLIN, "correct", []),
    ("Od roku mieszkam w Lublinie", SINCE, "correct", []),
    ("Mieszkam od roku w Lublinie", SINCE, "correct", []),
    ("W Lublinie od roku mieszkam", SINCE, "incorrect", ["word_order"]),
    # Synonyms and digits.
    ("Przepraszam, gdzie jest stacja?", STATION, "correct", []),
    ("Chciałabym kupić bilet.", BUY, "correct", []),
    ("Pracuję od 9 do 17", WORK, "correct", []),
    ("Pracuję od dziewiątej do siedemnastej.", WORK, "correct", []),
    # Capitals and punctuation.
    ("PRZEPRASZAM, GDZIE JEST DWORZEC?", STATION, "correct", []),
    ("jadę do warszawy", WARSAW, "correct", []),
    ("dzień dobry", HELLO, "correct", []),
    ("Przepraszam gdzie jest dworzec", STATION, "almost", ["punctuation"]),
]


def _check(profile, given, keys, verdict, codes):
    result = grade_text(given, keys, profile, word_order=True)
    got = (result.verdict, [item["code"] for item in result.feedback])
    assert got == (verdict, codes), feedback_render(result.feedback)


@pytest.mark.parametrize(("given", "keys", "verdict", "codes"), LATVIAN)
def test_latvian_answers(given, keys, verdict, codes):
    _check(LV, given, keys, verdict, codes)


@pytest.mark.parametrize(("given", "keys", "verdict", "codes"), POLISH)
def test_polish_answers(given, keys, verdict, codes):
    _check(PL, given, keys, verdict, codes)


def test_the_tables_are_big_enough():
    assert len(LATVIAN) >= 60 and len(POLISH) >= 60


def test_feedback_quotes_the_learners_words_as_typed_and_the_keys_as_written():
    result = grade_text("Es dzīvoju Rigā", RIGA, LV)
    (item,) = result.feedback
    assert item["words"] == [{"given": "Rigā", "expected": "Rīgā"}]
    assert (item["given"], item["expected"]) == ("Es dzīvoju Rigā", "Es dzīvoju Rīgā.")

    result = grade_text("ES STRĀDĀJU PAR PAVĀU", COOK, LV)
    (item,) = result.feedback
    assert (item["given"], item["expected"]) == ("PAVĀU", "pavāru")

    result = grade_text("es dzīvoju rīgu", RIGA, LV)
    (item,) = result.feedback
    assert (item["code"], item["given"], item["expected"]) == (
        "wrong_form",
        "rīgu",
        "Rīgā",
    )
    (rendered,) = feedback_render(
        result.feedback, explanation="Where? is the locative: Rīgā."
    )
    assert rendered["message"] == (
        "Right word, wrong form: you wrote “rīgu”, here it is “Rīgā”. "
        "Where? is the locative: Rīgā."
    )


def test_a_missing_mark_and_a_typo_are_both_named():
    result = grade_text("Es mekleju dzīvkli", FLAT, LV)
    messages = [item["message"] for item in feedback_render(result.feedback)]
    assert "“meklēju”" in str(result.feedback[0]["words"]) or "e → ē" in messages[0]
    assert "e → ē" in messages[0]
    assert "“dzīvkli”" in messages[1] and "“dzīvokli”" in messages[1]


# --- Properties with the real dictionary ---------------------------------------

CONTENT_WORDS = sorted(
    {
        word
        for path in (CONTENT / "lv").glob("*.yaml")
        if not path.name.startswith("_")
        for word in re.findall(r"[^\W\d_]{5,}", path.read_text("utf-8").lower())
    }
)
LATVIAN_LETTERS = "aābcčdeēfgģhiījkķlļmnņoprsštuūvzž"


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(CONTENT_WORDS),
    st.integers(0, 20),
    st.sampled_from(LATVIAN_LETTERS),
)
def test_one_letter_off_is_almost_exactly_when_the_result_is_not_a_word(
    word, position, letter
):
    position %= len(word)
    edited = word[:position] + letter + word[position + 1 :]
    assume(edited != word)
    result = grade_text(f"Es {edited} te", [f"Es {word} te"], LV)
    if LV.is_word(edited):
        assert result.verdict == "incorrect"
        assert result.feedback[0]["code"] in ("wrong_form", "wrong_word")
    else:
        assert result.verdict == "almost"
        assert result.feedback[0]["code"] in ("typo", "diacritics")
