"""Names made comparable: Malayalam to one Latin form, Kerala initials and house names.

A man is "K. Rajesh" in an FIR, "Rajesh Kumar K" in a tip and "കിഴക്കേതിൽ രാജേഷ്" in
a station register. Comparison needs all three in one alphabet and one spelling habit:
Malayalam is transliterated (indic-transliteration, decision 0010), every Latin token
is reduced to a *phonetic key* that folds the spellings Kerala English uses for one
sound (Sreejith / Shreejith / Srijith), and single letters are kept apart as initials,
because an initial stands for a house name or a father's name, not for the person.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Chillu letters are vowel-less final consonants with their own code points; the
# transliterator knows only the older spelling, consonant + virama, so map them first.
_CHILLU = str.maketrans(
    {
        "\u0d7a": "\u0d23\u0d4d",  # ൺ
        "\u0d7b": "\u0d28\u0d4d",  # ൻ
        "\u0d7c": "\u0d30\u0d4d",  # ർ
        "\u0d7d": "\u0d32\u0d4d",  # ൽ
        "\u0d7e": "\u0d33\u0d4d",  # ൾ
        "\u0d7f": "\u0d15\u0d4d",  # ൿ
        "\u0d54": "\u0d2e\u0d4d",  # ൔ
        "\u0d57": "\u0d4c",  # ൗ, the au length mark written alone: സൗമ്യ
        "\u200c": "",  # zero-width non-joiner
        "\u200d": "",  # zero-width joiner
    }
)
# Malayalam letter names written as initials: K. Rajesh = കെ. രാജേഷ്.
MALAYALAM_INITIALS = {
    "a": "എ", "b": "ബി", "c": "സി", "d": "ഡി", "g": "ജി", "j": "ജെ", "k": "കെ",
    "l": "എൽ", "m": "എം", "n": "എൻ", "p": "പി", "r": "ആർ", "s": "എസ്", "t": "ടി",
    "v": "വി",
}  # fmt: skip
_INITIAL_OF = {written: letter for letter, written in MALAYALAM_INITIALS.items()}
_MALAYALAM = re.compile("[\u0d00-\u0d7f]")
_NOT_LETTER = re.compile(r"[^a-z]+")
# Python's \w leaves out Malayalam vowel signs and virama, so name them.
_SPLIT = re.compile("[^\\w\u0d00-\u0d7f]+|_")

# Spelling habits folded into one key, longest first. Aspirates and doubled letters
# carry no weight in Kerala English (Sreejith/Srijit), ph and f are one sound.
_FOLDS = (
    ("shr", "sr"),
    ("sree", "sri"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("bh", "b"),
    ("kh", "k"),
    ("gh", "g"),
    ("jh", "j"),
    ("ch", "c"),
    ("sh", "s"),
    ("ee", "i"),
    ("oo", "u"),
    ("w", "v"),
    ("q", "k"),
    ("zh", "l"),  # ഴ: Kozhikode / Kolikode
    ("z", "s"),  # Fazil / ഫാസിൽ
    ("y", "i"),
    ("x", "ks"),
    # Voiced and unvoiced stops: English spells ട and പ between vowels as d and b
    # (Vadakke, Parambil), the transliteration as t and p; anusvara before a velar.
    ("d", "t"),
    ("b", "p"),
    ("g", "k"),
    ("mk", "nk"),
)
_DOUBLES = re.compile(r"(.)\1+")


def transliterate(text: str) -> str:
    """Malayalam script in ``text`` to ITRANS Latin, lower-cased; other text as is."""
    if not _MALAYALAM.search(text):
        return text
    return _transliterate_malayalam(text)


@lru_cache(maxsize=65536)
def _transliterate_malayalam(text: str) -> str:
    from indic_transliteration import sanscript

    # ന്റ is said "nt" and റ്റ "tt" (Antony, Peter); ITRANS would write "nR", "RR".
    spoken = text.translate(_CHILLU).replace("ന്റ", "ന്ട").replace("റ്റ", "ട്ട")
    latin: str = sanscript.transliterate(spoken, sanscript.MALAYALAM, sanscript.ITRANS)
    # ITRANS writes ഞ as "~n": Kerala English writes ഞ്ഞ and ഞ്ജ as "nj".
    return latin.lower().replace("~n~n", "nj").replace("~n", "n")


@lru_cache(maxsize=262144)
def phonetic(token: str) -> str:
    """One key for one spoken name: "Sreejith", "Shrijit", "ശ്രീജിത്ത്" -> "srijit"."""
    plain = unicodedata.normalize("NFKD", token.lower())
    letters = _NOT_LETTER.sub("", plain.encode("ascii", "ignore").decode())
    for spelled, folded in _FOLDS:
        letters = letters.replace(spelled, folded)
    letters = letters.replace("aa", "a")
    return _DOUBLES.sub(r"\1", letters)


@dataclass(frozen=True)
class NameParts:
    """A written name as tokens (phonetic keys of words) and initials (lone letters)."""

    tokens: tuple[str, ...]
    initials: tuple[str, ...]

    @property
    def key(self) -> str:
        """The tokens in alphabetical order: word order does not tell a name apart."""
        return " ".join(sorted(self.tokens))

    @property
    def letters(self) -> tuple[str, ...]:
        """Every letter the name could be abbreviated to: initials and first letters."""
        return tuple(sorted({*self.initials, *(t[0] for t in self.tokens)}))

    def __bool__(self) -> bool:
        return bool(self.tokens or self.initials)


def split_name(*written: str | None) -> NameParts:
    """The parts of a name written in one or more fields (given name, surname...).

    "K. Rajesh", "Rajesh K" and "KIZHAKKETHIL RAJESH" all give the token "rajes";
    the first two give the initial "k". A token of one letter after folding (an
    initial written as "Kay" is not folded) is an initial too.
    """
    fields = [f for f in written if f]
    if len(fields) == 1:
        return _split_field(fields[0])  # the usual case, cached: names repeat
    tokens: list[str] = []
    initials: list[str] = []
    for field in fields:
        parts = _split_field(field)
        tokens += [t for t in parts.tokens if t not in tokens]
        initials += [i for i in parts.initials if i not in initials]
    return NameParts(tuple(tokens), tuple(initials))


@lru_cache(maxsize=262144)
def _split_field(field: str) -> NameParts:
    tokens: list[str] = []
    initials: list[str] = []
    for word in _SPLIT.split(field):
        key = _INITIAL_OF.get(word) or phonetic(transliterate(word))
        if not key:
            continue
        target = initials if len(key) == 1 else tokens
        if key not in target:
            target.append(key)
    return NameParts(tuple(tokens), tuple(initials))
