"""Display names: what other members see next to a person's messages.

A name is stored in Unicode NFC (so "Jānis" typed two ways is one name), and
refused when it could mislead the people reading it:

- control and format characters (category C*: ESC and other C0/C1 controls,
  U+202E right-to-left override, zero-width spaces and joiners, the BOM...),
  which reorder, hide or fake the text around them;
- words that pose as the city's staff or the app's moderators, in the
  languages of our members (English, Latvian, Russian, Ukrainian, Polish),
  unless the person *is* staff.

Matching is on a simplified form: NFKC, case-folded, diacritics removed and
letters that look alike across scripts (Cyrillic "а" for Latin "a"...) mapped
to one, so "ADMIN", "Аdmin" and "Ａｄｍｉｎ" are caught alike.
"""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 80

# Cyrillic and Greek letters that look like Latin ones.
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h",
        "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i",
        "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ɑ": "a", "α": "a", "ο": "o",
        "ρ": "p", "ν": "v", "τ": "t", "ι": "i", "κ": "k", "μ": "m", "0": "o",
        "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
        "|": "i", "!": "i", "ł": "l", "đ": "d", "ø": "o",
    }
)  # fmt: skip

# Whole words (after simplification) that claim a role. Russian/Ukrainian are
# matched in Cyrillic before the look-alike mapping, the rest in Latin.
_ROLE_WORDS_LATIN = re.compile(
    r"\b("
    r"admins?|administrat\w*|sysadmin|moderat\w*|mods?|staff|officials?|"
    r"support|runa\s*team|team\s*runa|"
    # Latvian: darbinieks (employee), pašvaldība (municipality)
    r"darbinie\w*|pasvaldib\w*|"
    # Polish: obsługa (staff), pracownik (employee), urząd (office)
    r"obsluga|pracowni\w*|urzad\w*"
    r")\b"
)
# Russian and Ukrainian: admin, moderator, employee, staff, support.
_ROLE_WORDS_CYRILLIC = re.compile(
    r"(админ|адмін|модер|сотрудни|співробітни|працівни|персонал|поддержк|"
    r"підтримк)"
)

ROLE_MESSAGE = _("A display name cannot suggest a role such as staff or moderator.")
CONTROL_MESSAGE = _(
    "A display name cannot contain control or invisible formatting characters."
)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_control_characters(name: str) -> bool:
    return any(unicodedata.category(ch).startswith("C") for ch in name)


def poses_as_staff(name: str) -> bool:
    folded = unicodedata.normalize("NFKC", name).casefold()
    if _ROLE_WORDS_CYRILLIC.search(folded):
        return True
    latin = _strip_marks(folded).translate(_CONFUSABLES)
    # Separators inside a word ("a.d.m.i.n", "mod_erator") do not hide it.
    squeezed = re.sub(r"(?<=\w)[._\-*·](?=\w)", "", latin)
    return any(_ROLE_WORDS_LATIN.search(text) for text in (latin, squeezed))


def display_name_clean(name: str, *, is_staff: bool) -> tuple[str, list[str]]:
    """(the NFC, trimmed name; the reasons it is refused, empty if fine)."""
    name = unicodedata.normalize("NFC", name).strip()
    errors: list[str] = []
    if has_control_characters(name):
        errors.append(str(CONTROL_MESSAGE))
    elif not is_staff and poses_as_staff(name):
        errors.append(str(ROLE_MESSAGE))
    if len(name) > MAX_LENGTH:
        errors.append(str(_("Use at most %(max)d characters.") % {"max": MAX_LENGTH}))
    return name, errors
