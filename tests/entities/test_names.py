"""Names made comparable: one Latin form for Malayalam, initials kept apart."""

from __future__ import annotations

import pytest

from kavach.entities.names import phonetic, split_name, transliterate


@pytest.mark.parametrize(
    ("latin", "malayalam"),
    [
        ("Rajesh", "രാജേഷ്"),
        ("Anil", "അനിൽ"),  # a chillu letter: ൽ
        ("Kumar", "കുമാർ"),
        ("Krishnan", "കൃഷ്ണൻ"),
        ("Sreejith", "ശ്രീജിത്ത്"),
        ("Kunjumon", "കുഞ്ഞുമോൻ"),  # ഞ്ഞ is "nj"
        ("Kizhakkethil", "കിഴക്കേതിൽ"),
        ("Vadakkekandi", "വടക്കേകണ്ടി"),  # ട written d in English
    ],
)
def test_malayalam_and_its_latin_spelling_have_one_key(
    latin: str, malayalam: str
) -> None:
    assert split_name(latin).key == split_name(malayalam).key


def test_spelling_habits_fold_together() -> None:
    assert phonetic("Sreejith") == phonetic("Shreejith") == phonetic("Srijit")
    assert phonetic("Joseph") == phonetic("Josef")
    assert phonetic("Rajesh") != phonetic("Ramesh")


def test_initials_are_kept_apart_from_the_name() -> None:
    for written in ("K. Rajesh", "Rajesh K", "K.RAJESH", "കെ. രാജേഷ്"):
        parts = split_name(written)
        assert parts.tokens == ("rajes",) and parts.initials == ("k",), written
    parts = split_name("Kizhakkethil Rajesh")
    assert parts.initials == () and "k" in parts.letters


def test_other_scripts_and_empty_names_pass_through() -> None:
    assert transliterate("Müller") == "Müller"
    assert not split_name(None, "", " . ")
