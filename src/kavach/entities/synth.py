"""Labelled, synthetic Kerala-style person records: what resolution is measured on.

Every record carries the id of the (invented) person it was drawn from, so pairwise
precision and recall can be counted. The records vary as a unit's records do: the
name written with initials before or after, the house name first, a second name
added, Malayalam script in some records, typing mistakes, dates of birth in three
formats or only an age, moved addresses, changed SIMs, and brothers who share a
house name, a father, an address and the family phone — the hard negatives.
Names and places are drawn from the shipped lists; nothing here is a real person.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources

COLUMNS = (
    "record_id",
    "person",
    "full_name",
    "father_name",
    "dob",
    "age",
    "address",
    "locality",
    "district",
    "postcode",
    "phone",
    "email",
    "imei",
)
# Roles of `kavach persons dedupe` for the columns above (record_id and person are
# the id and the truth label).
ROLES = {c: c for c in COLUMNS[2:]}
REFERENCE_YEAR = 2026
_RECORDS_PER_PERSON = [1] * 55 + [2] * 25 + [3] * 12 + [4] * 5 + [5] * 2 + [6]


@dataclass(frozen=True)
class Spelling:
    """One name part: its usual Latin spelling, Malayalam, and other Latin spellings."""

    latin: str
    malayalam: str
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    locality: str
    district: str
    postcode: str


@dataclass
class Person:
    """The truth behind a set of records."""

    number: int
    given: Spelling
    second: Spelling | None
    house: Spelling
    father: Spelling
    born: date
    place: Place
    phones: list[str]
    email: str | None
    imei: str | None
    moved_to: Place | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _load_names() -> dict[str, list[Spelling]]:
    text = resources.files("kavach.entities").joinpath("data/kerala_names.toml")
    raw = tomllib.loads(text.read_text(encoding="utf-8"))
    return {
        kind: [Spelling(e[0], e[1], tuple(e[2:])) for e in entries]
        for kind, entries in raw.items()
    }


def _load_places() -> list[Place]:
    text = resources.files("kavach.cases").joinpath("data/kerala_units.toml")
    units = tomllib.loads(text.read_text(encoding="utf-8"))
    places = []
    for d_index, district in enumerate(units["police_district"]):
        revenue = district["revenue_district"].title()
        for l_index, locality in enumerate(district["localities"]):
            postcode = f"{670 + d_index % 26}{100 + l_index * 7:03d}"
            places.append(Place(locality, revenue, postcode))
    return places


class Generator:
    """Draws persons and their records from one seeded random source."""

    def __init__(self, seed: int = 1) -> None:
        self._random = random.Random(seed)
        self._names = _load_names()
        self._places = _load_places()
        self._next_phone = 0

    def _zipf(self, items: list[Spelling]) -> Spelling:
        # A gentle slope: the commonest name is 3 % of men, as in a real register.
        weights = [1 / (rank + 1) ** 0.3 for rank in range(len(items))]
        return self._random.choices(items, weights)[0]

    def _house(self) -> Spelling:
        prefix = self._random.choice(self._names["house_prefix"])
        root = self._random.choice(self._names["house_root"])
        latin = prefix.latin + root.latin
        return Spelling(latin, prefix.malayalam + root.malayalam)

    def _phone(self) -> str:
        self._next_phone += 1
        number = 9_400_000_000 + self._random.randrange(500_000_000)
        return f"{number + self._next_phone}"

    def person(self, number: int, sibling_of: Person | None = None) -> Person:
        r = self._random
        given = self._zipf(self._names["given_male"] + self._names["given_female"])
        if sibling_of is not None:
            # A brother: same house, father, place and family phone; all else new.
            while given.latin == sibling_of.given.latin:
                given = self._zipf(self._names["given_male"])
            house, father = sibling_of.house, sibling_of.father
            place, phones = sibling_of.place, [sibling_of.phones[0]]
        else:
            house, father = self._house(), self._zipf(self._names["given_male"])
            place, phones = r.choice(self._places), [self._phone()]
        if r.random() < 0.2:
            phones.append(self._phone())  # a changed SIM, used in later records
        born = date(1965, 1, 1) + timedelta(days=r.randrange(40 * 365))
        second = r.choice(self._names["second"]) if r.random() < 0.3 else None
        handle = f"{given.latin.lower()}.{number}"  # e-mail addresses are unique
        return Person(
            number=number,
            given=given,
            second=second,
            house=house,
            father=father,
            born=born,
            place=place,
            phones=phones,
            email=f"{handle}@example.in" if r.random() < 0.25 else None,
            imei=f"35{r.randrange(10**12, 10**13)}" if r.random() < 0.2 else None,
            moved_to=r.choice(self._places) if r.random() < 0.15 else None,
        )

    def persons(self, count: int) -> Iterator[Person]:
        previous: Person | None = None
        for number in range(1, count + 1):
            sibling = previous if previous and self._random.random() < 0.15 else None
            previous = self.person(number, sibling)
            yield previous

    def records(self, total: int) -> Iterator[dict[str, str]]:
        """About ``total`` records (exactly ``total``), each a row of ``COLUMNS``."""
        from kavach.entities.synth_render import render

        made = 0
        for person in self.persons(total):
            copies = self._random.choice(_RECORDS_PER_PERSON)
            for copy in range(copies):
                if made == total:
                    return
                made += 1
                row = render(self._random, person, copy)
                yield {"record_id": f"r{made}", "person": f"p{person.number}", **row}
