"""One synthetic record of a person, written the way one clerk might write it."""

from __future__ import annotations

import random
import string
from datetime import date

from kavach.entities.names import MALAYALAM_INITIALS
from kavach.entities.synth import REFERENCE_YEAR, Person, Spelling


def _latin(r: random.Random, part: Spelling) -> str:
    if part.variants and r.random() < 0.2:
        return r.choice(part.variants)
    return part.latin


def _initial(part: Spelling, malayalam: bool) -> str:
    letter = part.latin[0].lower()
    if malayalam:
        return MALAYALAM_INITIALS.get(letter, letter.upper()) + "."
    return letter.upper() + "."


def _typo(r: random.Random, word: str) -> str:
    """One keying mistake: a letter dropped, doubled, swapped or replaced."""
    if len(word) < 4:
        return word
    i = r.randrange(1, len(word) - 1)
    kind = r.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + r.choice(string.ascii_lowercase) + word[i + 1 :]


def full_name(r: random.Random, p: Person, malayalam: bool) -> str:
    """The forms Kerala records use for one man's name."""

    def spell(part: Spelling) -> str:
        return part.malayalam if malayalam else _latin(r, part)

    given = spell(p.given)
    if p.second is not None and r.random() < 0.6:
        given = f"{given} {spell(p.second)}"
    house = spell(p.house)
    h, f = _initial(p.house, malayalam), _initial(p.father, malayalam)
    forms = [
        f"{given} {h}",
        f"{h} {given}",
        f"{h} {f} {given}",
        f"{house} {given}",
        f"{given} {house}",
        f"{given} {f}",
        given,
    ]
    name = r.choices(forms, [5, 5, 2, 3, 2, 1, 1])[0]
    if not malayalam and r.random() < 0.12:
        words = name.split(" ")
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        words[longest] = _typo(r, words[longest])
        name = " ".join(words)
    if not malayalam and r.random() < 0.3:
        name = name.upper()
    return name


def _father(r: random.Random, p: Person, malayalam: bool) -> str:
    if r.random() < 0.4:
        return ""
    name = p.father.malayalam if malayalam else _latin(r, p.father)
    if r.random() < 0.3:
        name = f"{_initial(p.house, malayalam)} {name}"
    return name


def _born(r: random.Random, born: date) -> tuple[str, str]:
    """A date of birth in one of three formats, sometimes mistyped, or only an age."""
    if r.random() < 0.3:
        age = REFERENCE_YEAR - born.year - r.choice((0, 0, 1))
        return ("", str(age)) if r.random() < 0.6 else ("", "")
    if r.random() < 0.05 and born.day <= 12 and born.day != born.month:
        born = date(born.year, born.day, born.month)  # day and month swapped
    elif r.random() < 0.04:
        born = born.replace(day=min(28, born.day + 1))
    form = r.choice(("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"))
    return born.strftime(form), ""


def render(r: random.Random, p: Person, copy: int) -> dict[str, str]:
    """Record number ``copy`` of a person: later copies may use the new SIM or place."""
    malayalam = r.random() < 0.15
    place = p.moved_to if p.moved_to and copy > 0 and r.random() < 0.6 else p.place
    phone = p.phones[-1] if copy > 0 and r.random() < 0.5 else p.phones[0]
    dob, age = _born(r, p.born)
    house = p.house.malayalam if malayalam else _latin(r, p.house)
    show = r.random
    return {
        "full_name": full_name(r, p, malayalam),
        "father_name": _father(r, p, malayalam),
        "dob": dob,
        "age": age,
        "address": f"{house}, {place.locality}" if show() < 0.7 else "",
        "locality": place.locality if show() < 0.6 else "",
        "district": place.district if show() < 0.8 else "",
        "postcode": place.postcode if show() < 0.5 else "",
        "phone": (phone if show() < 0.8 else "+91 " + phone) if show() < 0.7 else "",
        "email": p.email if p.email and show() < 0.6 else "",
        "imei": p.imei if p.imei and show() < 0.5 else "",
    }
