"""Which "same word?" test is right more often on the content's own words:
simplemma's lemmas or the hunspell dictionary's stems?

    .venv/bin/python bench/lemmatiser.py

Labelled pairs come from the content itself:
- same word: each cloze blank's answer and the base form in brackets after
  it ("Es ___ (pirkt)": pērku/pirkt); the options of choice items that are
  forms of one word (listed below, checked by a teacher); the profile's
  confusable pairs under "the same word in another case";
- different words: the profile's other confusable pairs, and the options of
  choice items that are different words (listed below).
Prints each method's accuracy and the pairs it gets wrong.
"""

import itertools
import re
import sys
from pathlib import Path

import simplemma
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from exercises.language.dictionary import dictionary_for  # noqa: E402

CONTENT = ROOT / "exercises" / "content"
# Choice items whose options are all forms of one word...
SAME = {
    "lv": """city-services-006 city-services-014 city-services-022 doctor-001
        doctor-010 greetings-007 greetings-012 greetings-014 housing-001
        housing-008 housing-016 numbers-time-014 numbers-time-016
        numbers-time-018 numbers-time-023 offices-001 offices-010 school-001
        school-009 school-015 shopping-009 shopping-016 transport-001
        transport-010 transport-017 work-006 work-016""",
    "pl": "greetings-006 housing-001 numbers-time-006 transport-001",
}
# ... and those whose options are all different words.
DIFFERENT = {
    "lv": """city-services-001 doctor-005 housing-013 numbers-time-006
        offices-005 school-014 shopping-021 work-014""",
    "pl": "",
}


# Pairs the profile lists among "different words" that a teacher calls
# forms of one word: chcę/chce (chcieć), tas/tās (tas).
RELABEL = {("chce", "chcę"): True, ("tas", "tās"): True}


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


def labelled_pairs(language: str) -> list[tuple[str, str, bool]]:
    pairs = []
    same = {f"{language}-{key}" for key in SAME[language].split()}
    different = {f"{language}-{key}" for key in DIFFERENT[language].split()}
    for path in sorted((CONTENT / language).glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["exercises"]:
            if item["kind"] == "cloze":
                parts = item["text"].split("___")
                for blank, after in zip(item["blanks"], parts[1:], strict=False):
                    hint = re.match(r"\s*\(([^)]+)\)", after)
                    answer = words(blank[0])
                    if hint and len(answer) == 1 and len(words(hint[1])) == 1:
                        pairs.append((answer[0], words(hint[1])[0], True))
            elif item["kind"] == "choice" and item["key"] in same | different:
                options = [words(o)[-1] for o in item["options"]]
                for a, b in itertools.combinations(options, 2):
                    pairs.append((a, b, item["key"] in same))
    section_same = False
    profile = (CONTENT / language / "_profile.yaml").read_text(encoding="utf-8")
    for line in profile.splitlines():
        if "the same word" in line:
            section_same = True
        pair = re.match(r"\s*- \[(\w+), (\w+)\]", line)
        if pair:
            same = RELABEL.get((pair[1], pair[2]), section_same)
            pairs.append((pair[1], pair[2], same))
    return pairs


def by_simplemma(language: str, a: str, b: str) -> bool:
    lemma = simplemma.lemmatize
    return lemma(a, lang=language).lower() == lemma(b, lang=language).lower()


def by_stems(language: str, a: str, b: str) -> bool:
    dictionary = dictionary_for(language)
    return bool(dictionary.stems(a) & dictionary.stems(b))


def main() -> None:
    methods = {
        "simplemma": by_simplemma,
        "hunspell stems": by_stems,
        "either": lambda *args: by_stems(*args) or by_simplemma(*args),
    }
    for language in ("lv", "pl"):
        pairs = labelled_pairs(language)
        positives = sum(1 for *_, same in pairs if same)
        print(f"{language}: {len(pairs)} pairs ({positives} same word)")
        for name, method in methods.items():
            wrong = [(a, b, s) for a, b, s in pairs if method(language, a, b) != s]
            right = len(pairs) - len(wrong)
            print(f"  {name}: {right}/{len(pairs)} = {right / len(pairs):.0%} right")
            for a, b, same in wrong:
                print(f"      {a} / {b}: {'same' if same else 'different'}")


if __name__ == "__main__":
    main()
