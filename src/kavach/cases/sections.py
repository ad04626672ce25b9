"""The legal sections a case is registered under, seeded into an editable table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Section:
    code: str  # how officers write it: "POCSO 15(2)"
    act: str
    section: str
    title: str
    repeat_harsher: bool = False  # a second conviction carries a harsher sentence
    pocso: bool = False


IT_ACT = "Information Technology Act, 2000"
POCSO = "Protection of Children from Sexual Offences Act, 2012"
BNS = "Bharatiya Nyaya Sanhita, 2023"

SEED = (
    Section(
        "IT Act 67B",
        IT_ACT,
        "67B",
        "Publishing or transmitting material depicting children in sexually "
        "explicit acts; browsing, downloading, creating",
        repeat_harsher=True,
    ),
    Section(
        "POCSO 13", POCSO, "13", "Use of a child for pornographic purposes", pocso=True
    ),
    Section(
        "POCSO 14",
        POCSO,
        "14",
        "Punishment for using a child for pornographic purposes",
        repeat_harsher=True,
        pocso=True,
    ),
    Section(
        "POCSO 15(1)",
        POCSO,
        "15(1)",
        "Storing child pornographic material without deleting or reporting",
        pocso=True,
    ),
    Section(
        "POCSO 15(2)",
        POCSO,
        "15(2)",
        "Storing for transmitting, propagating, displaying or distributing",
        pocso=True,
    ),
    Section(
        "POCSO 15(3)",
        POCSO,
        "15(3)",
        "Storing for commercial purpose",
        repeat_harsher=True,
        pocso=True,
    ),
    Section("BNS 294", BNS, "294", "Sale, distribution of obscene material"),
    Section("BNS 295", BNS, "295", "Sale of obscene objects to a child"),
)
