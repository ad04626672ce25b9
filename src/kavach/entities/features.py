"""A person record reduced to the comparable features the linkage model reads.

Input is a mapping of *roles* (given_name, surname, full_name, father_name, dob, age,
address, locality, district, postcode, state, phone, email, handle, imei,
id_number) to the text a record holds. Output is one flat row: names as phonetic
tokens and initials, dates as ISO, phones as E.164 digits. A value that does not
parse is kept as lower-cased text, so it is still compared, never refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from kavach.entities.names import phonetic, split_name, transliterate

ROLES = (
    "given_name",
    "surname",
    "full_name",
    "father_name",
    "dob",
    "age",
    "address",
    "locality",
    "district",
    "postcode",
    "state",
    "phone",
    "email",
    "handle",
    "imei",
    "id_number",
)
_DATE_FORMATS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"),
)
_MANY = re.compile(r"[;|,/]+")
_WORD = re.compile("[\\w\u0d00-\u0d7f]+")


@dataclass  # not frozen: a frozen dataclass's __init__ costs 20 µs a record
class Features:
    """What the model compares for one record (lists are empty, never None)."""

    name_tokens: list[str]
    name_initials: list[str]
    name_letters: list[str]
    name_key: str | None
    name_core: list[str]
    father_key: str | None
    dob: str | None
    birth_year: int | None
    address_tokens: list[str]
    locality: str | None
    district: str | None
    postcode: str | None
    state: str | None
    phones: list[str]
    email: str | None
    handle: str | None
    imei: str | None
    id_number: str | None


@lru_cache(maxsize=131072)
def parse_dob(text: str) -> tuple[str | None, int | None]:
    """(ISO date, year) from YYYYMMDD, YYYY-MM-DD or DD/MM/YYYY; else (text, None)."""
    text = text.strip()
    if not text:
        return None, None
    for pattern in _DATE_FORMATS:
        found = pattern.fullmatch(text)
        if found:
            try:
                born = date(int(found["y"]), int(found["m"]), int(found["d"]))
            except ValueError:
                break
            return born.isoformat(), born.year
    return text.lower(), None


_INDIAN_MOBILE = re.compile(r"(?:\+?91|0)?([6-9]\d{9})")


def phone_key(text: str) -> str:
    """E.164 digits of an Indian (or +CC) number; bare digits if it does not parse."""
    digits = re.sub(r"\D", "", text)
    # Most numbers are Indian mobiles: read them without the full parser (160 µs).
    mobile = _INDIAN_MOBILE.fullmatch(
        digits if text.lstrip()[:1] != "+" else "+" + digits
    )
    if mobile:
        return "91" + mobile[1]
    return _parsed_phone(text, digits)


@lru_cache(maxsize=131072)
def _parsed_phone(text: str, digits: str) -> str:
    import phonenumbers

    try:
        number = phonenumbers.parse(text, "IN")
    except phonenumbers.NumberParseException:
        return digits or text.strip().lower()
    if not phonenumbers.is_possible_number(number):
        return digits or text.strip().lower()
    return f"{number.country_code}{number.national_number}"


def _words(text: str) -> list[str]:
    return list(_cached_words(text))


@lru_cache(maxsize=262144)
def _cached_words(text: str) -> tuple[str, ...]:
    """Address words as phonetic keys (numbers kept as written), in order, distinct."""
    seen: list[str] = []
    for word in _WORD.findall(text):
        key = word if word.isdigit() else phonetic(transliterate(word))
        if key and key not in seen:
            seen.append(key)
    return tuple(seen)


def _near(a: str, b: str) -> bool:
    """Equal, or one letter apart in a word of five or more (a mistyped house name)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] or a[i + 1 :] == b[i:] or a[i:] == b[i + 1 :]


def core_tokens(name: list[str], address: list[str]) -> list[str]:
    """The name without its house name: a Kerala address begins with the house name,
    so a word of the name found in the record's own address is left out."""
    core = [t for t in name if not any(_near(t, word) for word in address)]
    return core or name


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value.lower() if value else None


def _birth_year(age: str, reference_year: int) -> int | None:
    try:
        years = int(float(age))
    except ValueError:
        return None
    return reference_year - years if 0 < years < 120 else None


def features(record: Mapping[str, str], reference_year: int) -> Features:
    """The features of one record; ``reference_year`` turns an age into a birth year."""
    get = record.get
    name = split_name(get("given_name"), get("surname"), get("full_name"))
    father = split_name(get("father_name"))
    dob, year = parse_dob(get("dob") or "")
    if year is None and get("age"):
        year = _birth_year(get("age") or "", reference_year)
    imei = re.sub(r"\D", "", get("imei") or "")
    district = transliterate(get("district") or "")
    address = _words(get("address") or "")
    return Features(
        name_tokens=list(name.tokens),
        name_initials=list(name.initials),
        name_letters=list(name.letters),
        name_key=name.key or None,
        name_core=core_tokens(list(name.tokens), address),
        father_key=father.key or None,
        dob=dob,
        birth_year=year,
        address_tokens=address,
        locality=" ".join(_words(get("locality") or "")) or None,
        district=phonetic(district) or None,
        postcode=_text(get("postcode")),
        state=_text(get("state")),
        phones=sorted({phone_key(p) for p in _MANY.split(get("phone") or "") if p}),
        email=_text(get("email")),
        handle=_text(get("handle")),
        imei=imei[:14] or _text(get("imei")),
        id_number=re.sub(r"\W", "", (get("id_number") or "").upper()) or None,
    )
