"""Place names compared as addresses write them: any case, any spacing, as words."""

from __future__ import annotations

import re

_NOT_WORD = re.compile(r"[^0-9a-z]+")

# What follows a district's name when an address means the district, not the town.
_DISTRICT_WORDS = ("district", "dist", "dt", "dst")


def normalise(text: str) -> str:
    """Lower case, punctuation and spaces one space: "Fort-Kochi" is "fort kochi".

    Names are compared in Latin script, as India Post and the tip formats write them.
    """
    return _NOT_WORD.sub(" ", text.casefold()).strip()


def word_at(text: str, name: str) -> int:
    """Where ``name`` first stands as words in ``text`` (both normalised), or -1."""
    if not name:
        return -1
    return f" {text} ".find(f" {name} ")


def last_word_at(text: str, name: str) -> int:
    """Where ``name`` last stands as words in ``text`` (both normalised), or -1."""
    if not name:
        return -1
    return f" {text} ".rfind(f" {name} ")


def without_district_phrases(text: str, names: list[str]) -> str:
    """``text`` less "<name> district" phrases, which name a district, not a town."""
    padded = f" {text} "
    for name in names:
        for word in _DISTRICT_WORDS:
            padded = padded.replace(f" {name} {word} ", " ")
    return padded.strip()
