"""What a casework record must be before it is stored; each check names the field.

The database would refuse some of these too, but with a message about constraints;
the others (a recording hash that is not one, a custody step before the seizure) it
would accept, and a court would not.
"""

from __future__ import annotations

import re
from datetime import datetime

from kavach.cases.records import (
    NewCase,
    NewCustodyStep,
    NewOperation,
    NewPerson,
    NewSearch,
)
from kavach.casework_vocabulary import CustodyStep
from kavach.errors import InputError

_SHA256 = re.compile(r"[0-9a-f]{64}")
_PIN = re.compile(r"[1-9][0-9]{5}")
FIRST_YEAR, LAST_YEAR = 1950, 2100


def check_operation(new: NewOperation) -> None:
    _text("name", new.name, 200)
    if new.ends_on < new.starts_on:
        raise InputError(f"--ends {new.ends_on} is before --starts {new.starts_on}")


def check_search(new: NewSearch) -> NewSearch:
    _text("location", new.location, 2000)
    _text("--team-lead", new.team_lead, 200)
    if new.recording_sha256 is not None:
        if not new.recording_file:
            raise InputError("--recording-sha256 without --recording: name the file")
        if not _SHA256.fullmatch(new.recording_sha256.lower()):
            raise InputError(
                f"--recording-sha256 {new.recording_sha256[:70]!r}: 64 hex digits"
            )
    elif new.recording_file:
        raise InputError(
            "--recording without --recording-sha256: the hash shows the recording "
            "forwarded is the one made"
        )
    for age in new.children:
        if age is not None and not 0 <= age <= 17:
            raise InputError(f"--child-age {age}: a child is 0 to 17")
    return new


def check_case(new: NewCase) -> NewCase:
    if not FIRST_YEAR <= new.year <= LAST_YEAR:
        raise InputError(f"--year {new.year}: between {FIRST_YEAR} and {LAST_YEAR}")
    if new.serial < 1:
        raise InputError(f"--serial {new.serial}: numbers start at 1")
    if not new.sections:
        raise InputError("--section: a case is registered under at least one")
    return new


def check_person(new: NewPerson) -> None:
    _text("name", new.name, 300)
    for field, value in (
        ("--malayalam", new.name_malayalam),
        ("--father", new.father_name),
    ):
        if value is not None:
            _text(field, value, 300)
    if new.pincode is not None and not _PIN.fullmatch(new.pincode):
        raise InputError(f"--pincode {new.pincode!r}: six digits, not starting with 0")
    if new.age is not None and not 0 <= new.age <= 120:
        raise InputError(f"--age {new.age}: 0 to 120")


def check_custody(new: NewCustodyStep, seized_at: datetime) -> None:
    """A step follows the seizure, and a device is seized once (the order of the
    later steps varies: returned, produced in court, examined again)."""
    if new.step is CustodyStep.SEIZED:
        raise InputError(f"{new.device} was seized already; record the next step")
    if new.at < seized_at:
        raise InputError(
            f"--at {new.at.isoformat()} is before {new.device} was seized "
            f"({seized_at.isoformat()})"
        )


def _text(field: str, value: str, limit: int) -> None:
    if not value.strip():
        raise InputError(f"{field}: empty")
    if len(value) > limit:
        raise InputError(f"{field}: {len(value)} characters (at most {limit})")
