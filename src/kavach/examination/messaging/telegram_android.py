"""Telegram on Android: ``cache4.db``, as the client's own ``createTables`` defines it.

``users(uid, name, ...)``: ``name`` is the client's lower-cased search key
``"first last;;;username"``. The device's address book as Telegram imported it is
``user_contacts_v7(key, uid, fname, sname)`` with ``user_phones_v7(key, phone, ...,
deleted)``. Groups and channels are ``chats(uid, name)``; their dialogs have
``did = -uid``; ``channel_users_v2(did = -uid, uid, date, data)`` caches members,
the participant's TL constructor 0x2FE601D3 marking the creator, and
``channel_admins_v3(did = uid, uid)`` the admins. Telegram keeps no file hashes.
The rest (phone numbers of users, the owner's account) is TL-serialised in ``data``
blobs and ``shared_prefs/userconfing.xml``, which Kavach does not decode yet: it says
so in a warning.
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

from kavach.examination.messaging.interface import is_sqlite, open_read_only, tables
from kavach.examination.messaging.model import (
    Account,
    AppRecords,
    Group,
    Member,
)

APP = "telegram"
_CREATOR = 0x2FE601D3  # TL channelParticipantCreator


class TelegramAndroid:
    name = "telegram-android"

    def sniff(self, head: bytes, path: Path) -> int:
        return 100 if path.name == "cache4.db" and is_sqlite(head) else 0

    def read(self, path: Path) -> AppRecords:
        records = AppRecords(APP, [str(path)])
        with open_read_only(path) as db:
            present = tables(db)
            phones = _address_book(db, present, records)
            users = _users(db, phones) if "users" in present else {}
            if "chats" in present:
                records.groups = _groups(db, present, users)
        records.warnings.append(
            f"{path}: the owner's account and users' own phone numbers are "
            "TL-serialised (userconfing.xml, users.data) and were not read"
        )
        return records


def _address_book(
    db: sqlite3.Connection, present: set[str], records: AppRecords
) -> dict[int, str]:
    """Contacts from the imported address book; each linked user id's number."""
    if not {"user_contacts_v7", "user_phones_v7"} <= present:
        return {}
    phones: dict[int, str] = {}
    rows = db.execute(
        "SELECT c.key, c.uid, c.fname, c.sname, p.phone FROM user_contacts_v7 c "
        "JOIN user_phones_v7 p ON p.key = c.key WHERE coalesce(p.deleted, 0) = 0"
    )
    for r in rows:
        phone = "".join(ch for ch in r["phone"] or "" if ch.isdigit()) or None
        name = " ".join(filter(None, (r["fname"], r["sname"]))) or None
        identifier = str(r["uid"]) if r["uid"] else f"contact:{r['key']}"
        records.contacts.append(Account(APP, identifier, phone, name))
        if r["uid"] and phone:
            phones[r["uid"]] = phone
    return phones


def _users(db: sqlite3.Connection, phones: dict[int, str]) -> dict[int, Account]:
    users = {}
    for r in db.execute("SELECT uid, name FROM users"):
        name, _, username = (r["name"] or "").partition(";;;")
        users[r["uid"]] = Account(
            APP, str(r["uid"]), phones.get(r["uid"]), name or None, username or None
        )
    return users


def _constructor(data: bytes | None) -> int | None:
    if not data or len(data) < 4:
        return None
    value: int = struct.unpack_from("<I", data)[0]
    return value


def _groups(
    db: sqlite3.Connection, present: set[str], users: dict[int, Account]
) -> list[Group]:
    members: dict[int, list[tuple[int, bool]]] = {}
    if "channel_users_v2" in present:
        for r in db.execute("SELECT did, uid, data FROM channel_users_v2"):
            made_it = _constructor(r["data"]) == _CREATOR
            members.setdefault(-r["did"], []).append((r["uid"], made_it))
    admins: set[tuple[int, int]] = set()
    if "channel_admins_v3" in present:
        admins = {
            (r[0], r[1]) for r in db.execute("SELECT did, uid FROM channel_admins_v3")
        }
    groups = []
    for r in db.execute("SELECT uid, name FROM chats"):
        listed = []
        creator: str | None = None
        for uid, is_creator in members.get(r["uid"], []):
            account = users.get(uid) or Account(APP, str(uid))
            if is_creator:
                creator = account.identifier
            admin = is_creator or (r["uid"], uid) in admins
            listed.append(Member(account, admin=admin, creator=is_creator))
        groups.append(
            Group(APP, f"chat:{r['uid']}", r["name"], None, creator, tuple(listed))
        )
    return groups
