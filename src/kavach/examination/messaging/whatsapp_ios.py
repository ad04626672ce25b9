"""WhatsApp on iOS: ``ChatStorage.sqlite``, with ``ContactsV2.sqlite`` beside it.

Core Data tables as iLEAPP and IPED read them: ``ZWACHATSESSION`` (``ZCONTACTJID``,
``ZPARTNERNAME`` the chat's or group's name), ``ZWAGROUPINFO`` (``ZCREATORJID``,
``ZCREATIONDATE``), ``ZWAGROUPMEMBER`` (``ZMEMBERJID``, ``ZISADMIN``, ``ZISACTIVE``),
``ZWAMESSAGE`` and ``ZWAMEDIAITEM``, whose ``ZVCARDNAME`` holds the file's Base64
SHA-256 and ``ZVCARDSTRING`` its MIME type. Times are seconds from 2001. The owner's
JID is ``OwnJabberID`` in ``group.net.whatsapp.WhatsApp.shared.plist``.
"""

from __future__ import annotations

import plistlib
import sqlite3
from pathlib import Path

from kavach.examination.messaging.interface import (
    columns,
    is_sqlite,
    open_read_only,
    tables,
)
from kavach.examination.messaging.model import (
    Account,
    AppRecords,
    Group,
    MediaRecord,
    Member,
    from_cocoa,
    phone_of_jid,
    sha256_from_base64,
)

APP = "whatsapp"
_PLIST = "group.net.whatsapp.WhatsApp.shared.plist"


class WhatsAppIOS:
    name = "whatsapp-ios"

    def sniff(self, head: bytes, path: Path) -> int:
        return 100 if path.name == "ChatStorage.sqlite" and is_sqlite(head) else 0

    def read(self, path: Path) -> AppRecords:
        records = AppRecords(APP, [str(path)])
        with open_read_only(path) as db:
            present = tables(db)
            if {"ZWACHATSESSION", "ZWAGROUPMEMBER"} <= present:
                records.groups = _groups(db, "ZWAGROUPINFO" in present)
            if {"ZWAMEDIAITEM", "ZWAMESSAGE"} <= present:
                records.media = _media(db)
        contacts = path.with_name("ContactsV2.sqlite")
        if contacts.is_file():
            records.databases.append(str(contacts))
            with open_read_only(contacts) as db:
                if "ZWAADDRESSBOOKCONTACT" in tables(db):
                    records.contacts = _contacts(db)
        else:
            records.warnings.append(f"{path}: no ContactsV2.sqlite beside it")
        records.owner = _owner(path.parent)
        if not records.owner:
            records.warnings.append(f"{path}: the owner's JID was not found ({_PLIST})")
        return records


def _groups(db: sqlite3.Connection, with_info: bool) -> list[Group]:
    info: dict[int, sqlite3.Row] = {}
    if with_info:
        for row in db.execute(
            "SELECT ZCHATSESSION, ZCREATORJID, ZCREATIONDATE FROM ZWAGROUPINFO"
        ):
            info[row["ZCHATSESSION"]] = row
    member_cols = columns(db, "ZWAGROUPMEMBER")
    active = "ZISACTIVE" if "ZISACTIVE" in member_cols else "1"
    admin = "ZISADMIN" if "ZISADMIN" in member_cols else "0"
    members: dict[int, list[tuple[str, str | None, bool, bool]]] = {}
    for row in db.execute(
        f"SELECT ZCHATSESSION, ZMEMBERJID, ZCONTACTNAME, {admin} AS admin, "
        f"{active} AS active FROM ZWAGROUPMEMBER"
    ):
        members.setdefault(row["ZCHATSESSION"], []).append(
            (
                row["ZMEMBERJID"],
                row["ZCONTACTNAME"],
                bool(row["admin"]),
                bool(row["active"]),
            )
        )
    groups = []
    for row in db.execute(
        "SELECT Z_PK, ZCONTACTJID, ZPARTNERNAME FROM ZWACHATSESSION "
        "WHERE ZCONTACTJID LIKE '%@g.us'"
    ):
        details = info.get(row["Z_PK"])
        creator = details["ZCREATORJID"] if details else None
        listed = tuple(
            Member(
                Account(APP, jid, phone_of_jid(jid), name or None),
                admin=is_admin,
                creator=jid == creator,
                active=is_active,
            )
            for jid, name, is_admin, is_active in members.get(row["Z_PK"], [])
            if jid
        )
        created = from_cocoa(details["ZCREATIONDATE"]) if details else None
        groups.append(
            Group(
                APP, row["ZCONTACTJID"], row["ZPARTNERNAME"], created, creator, listed
            )
        )
    return groups


def _media(db: sqlite3.Connection) -> list[MediaRecord]:
    rows = db.execute(
        "SELECT i.ZVCARDNAME, i.ZVCARDSTRING, i.ZFILESIZE, i.ZMEDIALOCALPATH, "
        "m.ZMESSAGEDATE, m.ZISFROMME, m.ZFROMJID, s.ZCONTACTJID, s.ZPARTNERNAME, "
        "g.ZMEMBERJID FROM ZWAMEDIAITEM i JOIN ZWAMESSAGE m ON m.Z_PK = i.ZMESSAGE "
        "LEFT JOIN ZWACHATSESSION s ON s.Z_PK = m.ZCHATSESSION "
        "LEFT JOIN ZWAGROUPMEMBER g ON g.Z_PK = m.ZGROUPMEMBER"
    )
    found = []
    for r in rows:
        sha256 = sha256_from_base64(r["ZVCARDNAME"])
        mime = (
            r["ZVCARDSTRING"]
            if r["ZVCARDSTRING"] and "/" in r["ZVCARDSTRING"]
            else None
        )
        mine = bool(r["ZISFROMME"])
        found.append(
            MediaRecord(
                APP,
                sha256,
                r["ZFILESIZE"],
                r["ZMEDIALOCALPATH"],
                mime if sha256 else None,
                from_cocoa(r["ZMESSAGEDATE"]),
                r["ZCONTACTJID"],
                r["ZPARTNERNAME"],
                None if mine else (r["ZMEMBERJID"] or r["ZFROMJID"]),
                mine,
            )
        )
    return found


def _contacts(db: sqlite3.Connection) -> list[Account]:
    rows = db.execute(
        "SELECT ZWHATSAPPID, ZFULLNAME, ZPHONENUMBER FROM ZWAADDRESSBOOKCONTACT"
    )
    contacts = []
    for r in rows:
        jid = r["ZWHATSAPPID"]
        phone = phone_of_jid(jid) or "".join(
            c for c in r["ZPHONENUMBER"] or "" if c.isdigit()
        )
        if jid or phone:
            contacts.append(Account(APP, jid or phone, phone or None, r["ZFULLNAME"]))
    return contacts


def _owner(folder: Path) -> list[Account]:
    """``OwnJabberID`` from the shared preferences of the app group."""
    for path in (folder / "Library" / "Preferences" / _PLIST, folder / _PLIST):
        if not path.is_file():
            continue
        try:
            values = plistlib.loads(path.read_bytes())
        except (plistlib.InvalidFileException, ValueError):
            continue
        jid = values.get("OwnJabberID") or values.get("LastOwnJabberID")
        if isinstance(jid, str) and jid:
            name = values.get("FullUserName")
            return [
                Account(
                    APP, jid, phone_of_jid(jid), name if isinstance(name, str) else None
                )
            ]
    return []
