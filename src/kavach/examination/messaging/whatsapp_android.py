"""WhatsApp on Android: ``msgstore.db``, with ``wa.db`` and the preferences beside it.

Tables as ALEAPP and IPED read them (and as WhatsApp's own test databases in IPED
show): ``jid`` names every account and group; ``chat`` holds groups' subjects and
creation times (ms since 1970); ``group_participant_user`` the members (``rank``
above 0 an admin — observed values 0/1/2, no tool documents them, so 2 is read as
an admin, not as the creator), and the legacy ``group_participants`` (``jid = ''``
is the owner); ``message_media.file_hash`` is the Base64 SHA-256 of the file, and
legacy ``messages.media_hash`` the same. ``wa.db``: ``wa_contacts`` (the address
book as WhatsApp sees it), ``wa_group_admin_settings.creator_jid``. The owner's
number is in ``shared_prefs/com.whatsapp_preferences_light.xml``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kavach.examination.messaging.interface import (
    columns,
    is_sqlite,
    open_read_only,
    pick,
    tables,
)
from kavach.examination.messaging.model import (
    Account,
    AppRecords,
    Group,
    MediaRecord,
    Member,
    from_unix_ms,
    phone_of_jid,
    sha256_from_base64,
)

APP = "whatsapp"
_PREFERENCES = ("com.whatsapp_preferences_light.xml", "com.whatsapp_preferences.xml")


class WhatsAppAndroid:
    name = "whatsapp-android"

    def sniff(self, head: bytes, path: Path) -> int:
        return 100 if path.name == "msgstore.db" and is_sqlite(head) else 0

    def read(self, path: Path) -> AppRecords:
        records = AppRecords(APP, [str(path)])
        with open_read_only(path) as db:
            present = tables(db)
            jids = _jids(db) if "jid" in present else {}
            creators = self._companion(path, records)
            if "group_participant_user" in present:
                records.groups = _groups(db, jids, creators)
            elif "group_participants" in present:
                records.groups = _legacy_groups(db, creators)
            if "message_media" in present:
                records.media = _media(db, jids)
            elif "messages" in present:
                records.media = _legacy_media(db)
        records.owner = _owner(path.parent.parent / "shared_prefs")
        if not records.owner:
            records.warnings.append(
                f"{path}: the owner's number was not found (no WhatsApp preferences "
                "beside the database)"
            )
        return records

    def _companion(self, path: Path, records: AppRecords) -> dict[str, str]:
        """Contacts from wa.db into ``records``; each group's creator by group JID."""
        wa = path.with_name("wa.db")
        if not wa.is_file():
            records.warnings.append(f"{path}: no wa.db beside it: contacts not read")
            return {}
        records.databases.append(str(wa))
        with open_read_only(wa) as db:
            present = tables(db)
            if "wa_contacts" in present:
                records.contacts = _contacts(db)
            if "wa_group_admin_settings" not in present:
                return {}
            rows = db.execute("SELECT jid, creator_jid FROM wa_group_admin_settings")
            return {r["jid"]: r["creator_jid"] for r in rows if r["creator_jid"]}


def _account(jid: str | None, name: str | None = None) -> Account:
    return Account(APP, jid or "", phone_of_jid(jid), name or None)


def _jids(db: sqlite3.Connection) -> dict[int, str]:
    rows = db.execute("SELECT _id, raw_string, user, server FROM jid")
    return {
        r["_id"]: r["raw_string"] or f"{r['user']}@{r['server']}"
        for r in rows
        if r["server"]
    }


def _creator_from_jid(group_jid: str) -> str | None:
    """Old group JIDs are ``<creator's number>-<seconds>@g.us``."""
    head = group_jid.split("@", 1)[0]
    number = head.split("-", 1)[0]
    return f"{number}@s.whatsapp.net" if "-" in head and number.isdigit() else None


def _groups(
    db: sqlite3.Connection, jids: dict[int, str], creators: dict[str, str]
) -> list[Group]:
    chat_cols = columns(db, "chat")
    chats = {
        r["jid_row_id"]: r
        for r in db.execute(
            f"SELECT {pick(chat_cols, 'jid_row_id', 'subject', 'created_timestamp')} "
            "FROM chat"
        )
    }
    members: dict[int, list[Member]] = {}
    member_cols = columns(db, "group_participant_user")
    query = pick(member_cols, "group_jid_row_id", "user_jid_row_id", "rank", "pending")
    for row in db.execute(f"SELECT {query} FROM group_participant_user"):
        jid = jids.get(row["user_jid_row_id"])
        if jid is None or not jid.endswith("@s.whatsapp.net"):
            continue  # the owner's placeholder row (status_me) and devices
        members.setdefault(row["group_jid_row_id"], []).append(
            Member(
                _account(jid), admin=(row["rank"] or 0) > 0, active=not row["pending"]
            )
        )
    groups = []
    for row_id, jid in jids.items():
        if not jid.endswith("@g.us"):
            continue
        chat = chats.get(row_id)
        creator = creators.get(jid) or _creator_from_jid(jid)
        listed = tuple(
            Member(m.account, m.admin, m.account.identifier == creator, m.active)
            for m in members.get(row_id, [])
        )
        groups.append(
            Group(
                APP,
                jid,
                chat["subject"] if chat else None,
                from_unix_ms(chat["created_timestamp"]) if chat else None,
                creator,
                listed,
            )
        )
    return groups


def _legacy_groups(db: sqlite3.Connection, creators: dict[str, str]) -> list[Group]:
    names: dict[str, tuple[str | None, int | None]] = {}
    if "chat_list" in tables(db):
        for row in db.execute(
            "SELECT key_remote_jid, subject, creation FROM chat_list"
        ):
            names[row["key_remote_jid"]] = (row["subject"], row["creation"])
    members: dict[str, list[Member]] = {}
    for row in db.execute("SELECT gjid, jid, admin FROM group_participants"):
        if not row["jid"]:
            continue  # '' is the device owner
        members.setdefault(row["gjid"], []).append(
            Member(_account(row["jid"]), admin=(row["admin"] or 0) > 0)
        )
    groups = []
    for jid, listed in sorted(members.items()):
        creator = creators.get(jid) or _creator_from_jid(jid)
        subject, created = names.get(jid, (None, None))
        marked = tuple(
            Member(m.account, m.admin, m.account.identifier == creator) for m in listed
        )
        groups.append(Group(APP, jid, subject, from_unix_ms(created), creator, marked))
    return groups


def _media(db: sqlite3.Connection, jids: dict[int, str]) -> list[MediaRecord]:
    media_cols = columns(db, "message_media")
    size = "m.file_size" if "file_size" in media_cols else "m.file_length"
    rows = db.execute(
        f"SELECT m.file_hash, {size} AS size, m.file_path, m.mime_type, "
        "g.timestamp, g.from_me, g.sender_jid_row_id, c.jid_row_id, c.subject "
        "FROM message_media m JOIN message g ON g._id = m.message_row_id "
        "LEFT JOIN chat c ON c._id = g.chat_row_id"
    )
    found = []
    for r in rows:
        chat = jids.get(r["jid_row_id"])
        sender = jids.get(r["sender_jid_row_id"]) or (
            None if r["from_me"] or (chat or "").endswith("@g.us") else chat
        )
        found.append(
            MediaRecord(
                APP,
                sha256_from_base64(r["file_hash"]),
                r["size"],
                r["file_path"],
                r["mime_type"],
                from_unix_ms(r["timestamp"]),
                chat,
                r["subject"],
                None if r["from_me"] else sender,
                bool(r["from_me"]),
            )
        )
    return found


def _legacy_media(db: sqlite3.Connection) -> list[MediaRecord]:
    rows = db.execute(
        "SELECT key_remote_jid, key_from_me, remote_resource, timestamp, media_hash, "
        "media_size, media_name, media_mime_type FROM messages "
        "WHERE media_hash IS NOT NULL AND media_hash != ''"
    )
    return [
        MediaRecord(
            APP,
            sha256_from_base64(r["media_hash"]),
            r["media_size"],
            r["media_name"],
            r["media_mime_type"],
            from_unix_ms(r["timestamp"]),
            r["key_remote_jid"],
            None,
            None if r["key_from_me"] else (r["remote_resource"] or r["key_remote_jid"]),
            bool(r["key_from_me"]),
        )
        for r in rows
    ]


def _contacts(db: sqlite3.Connection) -> list[Account]:
    present = columns(db, "wa_contacts")
    query = pick(
        present, "jid", "number", "display_name", "given_name", "family_name", "wa_name"
    )
    contacts = []
    for r in db.execute(f"SELECT {query} FROM wa_contacts"):
        jid = r["jid"] or ""
        if not jid.endswith("@s.whatsapp.net"):
            continue  # groups and broadcast lists have rows here too
        written = " ".join(filter(None, (r["given_name"], r["family_name"])))
        name = written or r["display_name"] or r["wa_name"]
        contacts.append(Account(APP, jid, phone_of_jid(jid), name))
    return contacts


def _owner(preferences: Path) -> list[Account]:
    """The device owner's number (and push name) from WhatsApp's preferences."""
    from defusedxml import ElementTree

    for name in _PREFERENCES:
        path = preferences / name
        if not path.is_file():
            continue
        try:
            root = ElementTree.parse(path).getroot()
        except ElementTree.ParseError:
            continue
        values = {e.get("name"): (e.text or "") for e in root.iter("string")}
        phone = values.get("registration_jid") or (
            values.get("cc", "") + values.get("ph", "")
        )
        phone = "".join(c for c in phone if c.isdigit())
        if phone:
            jid = f"{phone}@s.whatsapp.net"
            return [Account(APP, jid, phone, values.get("push_name") or None)]
    return []
