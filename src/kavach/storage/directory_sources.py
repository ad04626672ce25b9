"""Every person-shaped row Kavach holds, as a record the linkage model reads.

Casework persons (accused, arrested, found at a search, device owners), the
persons a tip reports, the subscribers an ISP names, and a seized phone's own
accounts on its apps. Each becomes roles
(``kavach.entities.features``) under a key that says where it lives; the rows
themselves are never copied or changed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, select

from kavach.entities.linkage import Record
from kavach.storage.casework_tables import (
    isp_window,
    person,
    person_identifier,
    seized_device,
    tip_identifier,
    tip_person,
)
from kavach.storage.phone_tables import phone_account, phone_extraction

# Identifier kinds of tips and persons -> the model's roles.
_ROLE_OF_KIND = {
    "phone": "phone",
    "email": "email",
    "screen_name": "handle",
    "esp_user_id": "handle",
}


def _identifier_roles(
    identifiers: Iterable[tuple[str, str | None, str]],
) -> dict[str, str]:
    roles: dict[str, list[str]] = defaultdict(list)
    for kind, service, value in identifiers:
        if kind == "device_id":
            # "IMEI:356938035643809" from tips; a bare number from the CLI.
            scheme, _, number = value.rpartition(":")
            if scheme.upper() in ("IMEI", "") and number.isdigit():
                roles["imei"].append(number)
            continue
        role = _ROLE_OF_KIND.get(kind)
        if role is None:
            continue
        roles[role].append(
            f"{service}:{value}" if role == "handle" and service else value
        )
    # The model compares one e-mail, handle and IMEI and every phone.
    return {
        role: "; ".join(values) if role == "phone" else values[0]
        for role, values in roles.items()
    }


def _casework_persons(connection: Connection) -> list[Record]:
    identifiers = defaultdict(list)
    for i in connection.execute(select(person_identifier)):
        identifiers[i.person_id].append((i.kind, i.service, i.value))
    records = []
    for p in connection.execute(select(person).order_by(person.c.id)):
        roles = {
            "full_name": p.name or p.name_malayalam or "",
            "father_name": p.father_name or "",
            "dob": p.date_of_birth.isoformat() if p.date_of_birth else "",
            "age": "" if p.age is None else str(p.age),
            "address": p.address or "",
            "postcode": p.pincode or "",
            **_identifier_roles(identifiers[p.id]),
        }
        records.append(Record(f"person:{p.id}", _filled(roles)))
    return records


def _tip_persons(connection: Connection) -> list[Record]:
    identifiers = defaultdict(list)
    for i in connection.execute(select(tip_identifier)):
        identifiers[(i.tip_id, i.person_seq)].append((i.kind, i.service, i.value))
    records = []
    for p in connection.execute(
        select(tip_person).order_by(tip_person.c.tip_id, tip_person.c.seq)
    ):
        name = " ".join(filter(None, (p.first_name, p.last_name))) or p.display_name
        addresses = json.loads(p.addresses or "[]")
        roles = {
            "full_name": name or "",
            "dob": p.date_of_birth or "",
            "age": "" if p.age is None else str(p.age),
            "address": addresses[0] if addresses else "",
            **_identifier_roles(identifiers[(p.tip_id, p.seq)]),
        }
        records.append(Record(f"tip:{p.tip_id}:{p.seq}", _filled(roles)))
    return records


def _subscribers(connection: Connection) -> list[Record]:
    records = []
    for w in connection.execute(select(isp_window).order_by(isp_window.c.id)):
        if not (w.subscriber or w.phone):
            continue
        roles = {
            "full_name": w.subscriber or "",
            "address": w.postal_address or "",
            "postcode": w.pincode or "",
            "phone": w.phone or "",
        }
        records.append(Record(f"isp:{w.id}", _filled(roles)))
    return records


def _phone_accounts(connection: Connection) -> list[Record]:
    """The phone's own accounts on its apps. (Its contacts are records of their
    own, ``contacts``: they are not scored.)"""
    records = []
    for a in connection.execute(
        select(phone_account)
        .where(phone_account.c.role == "owner")
        .order_by(phone_account.c.id)
    ):
        roles = {
            "full_name": a.name or "",
            "phone": f"+{a.phone}" if a.phone and a.phone.isdigit() else a.phone or "",
            "handle": f"{a.app}:{a.username}" if a.username else "",
        }
        if not (roles["full_name"] or roles["phone"] or roles["handle"]):
            continue
        records.append(Record(f"{a.role}:{a.id}", _filled(roles)))
    return records


def contacts(connection: Connection) -> list[tuple[str, str]]:
    """(record key, phone) of every saved number in a seized phone's address book.

    Not scored: an address book names people as its owner knows them ("Ammu",
    "Contact 12"), so the name says nothing; and one number saved on many phones
    is not many holders. A contact joins the one person who holds its number.
    """
    rows = connection.execute(
        select(phone_account.c.id, phone_account.c.phone)
        .where(phone_account.c.role == "contact", phone_account.c.phone.is_not(None))
        .order_by(phone_account.c.id)
    )
    return [(f"contact:{r.id}", r.phone) for r in rows]


def device_owner_links(connection: Connection) -> list[tuple[str, str]]:
    """(owner account, casework person) for each app account on a phone seized
    from a known person: the account is the phone's own, the man its holder."""
    rows = connection.execute(
        select(phone_account.c.id, seized_device.c.owner_person_id)
        .join(phone_extraction, phone_extraction.c.id == phone_account.c.extraction_id)
        .join(seized_device, seized_device.c.id == phone_extraction.c.device_id)
        .where(
            phone_account.c.role == "owner",
            seized_device.c.owner_person_id.is_not(None),
        )
    )
    return [(f"owner:{r.id}", f"person:{r.owner_person_id}") for r in rows]


def _filled(roles: dict[str, str]) -> dict[str, str]:
    return {role: value for role, value in roles.items() if value}


def person_records(connection: Connection) -> list[Record]:
    """Every person-shaped record, in a fixed order (casework, tips, ISP, phones)."""
    return [
        *_casework_persons(connection),
        *_tip_persons(connection),
        *_subscribers(connection),
        *_phone_accounts(connection),
    ]
