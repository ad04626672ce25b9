"""Messaging databases read into accounts, groups and media records (never text)."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kavach.examination.messaging import default_readers, find_databases
from kavach.examination.messaging.model import AppRecords
from tests.helpers import messaging_dbs

OWNER, OTHER = "919847000001", "919847000002"
MEMBERS = ["919847000009", OTHER, "919847000003"]
SHA = hashlib.sha256(b"a listed picture").hexdigest()


def _read(path: Path) -> AppRecords:
    return default_readers().detect(path).read(path)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_whatsapp_android_groups_members_creator_owner_and_media(
    tmp_path: Path,
) -> None:
    path = messaging_dbs.whatsapp_android(tmp_path, OWNER, MEMBERS, SHA, "Share zone")
    before = _snapshot(tmp_path)
    found = _read(path)
    assert _snapshot(tmp_path) == before  # evidence untouched
    assert [a.phone for a in found.owner] == [OWNER]
    (group,) = found.groups
    assert group.name == "Share zone"
    assert group.created == datetime.fromtimestamp(1_700_000_000, UTC)
    assert group.creator == f"{MEMBERS[0]}@s.whatsapp.net"
    assert [m.account.phone for m in group.members] == MEMBERS  # owner placeholder out
    assert [m.admin for m in group.members] == [True, False, False]
    assert [m.creator for m in group.members] == [True, False, False]
    (media,) = found.media
    assert media.sha256 == SHA and media.size == 2048 and not media.from_owner
    assert media.sender == f"{MEMBERS[0]}@s.whatsapp.net"
    assert media.chat_name == "Share zone"
    assert {c.phone for c in found.contacts} == set(MEMBERS)  # the group row left out
    assert not any(
        "hello" in repr(x) for x in (found.groups, found.media, found.contacts)
    )


def test_whatsapp_android_write_ahead_log_is_read_from_a_copy(tmp_path: Path) -> None:
    path = messaging_dbs.whatsapp_android(tmp_path, OWNER, MEMBERS, SHA, "Share zone")
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("UPDATE chat SET subject = 'Renamed'")
    db.commit()
    # a copy of the files as an extraction holds them: the main file and its log
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    for suffix in ("", "-wal"):
        (evidence / f"msgstore.db{suffix}").write_bytes(
            path.with_name(f"msgstore.db{suffix}").read_bytes()
        )
    db.close()
    before = _snapshot(evidence)
    found = _read(evidence / "msgstore.db")
    assert [g.name for g in found.groups] == ["Renamed"]
    assert _snapshot(evidence) == before
    assert any("no wa.db" in w for w in found.warnings)


def test_whatsapp_android_legacy_participants(tmp_path: Path) -> None:
    path = tmp_path / "msgstore.db"
    db = sqlite3.connect(path)
    db.executescript(
        messaging_dbs.MSGSTORE_SCHEMA.split("CREATE TABLE group_participant_user")[0]
    )
    legacy = messaging_dbs.MSGSTORE_SCHEMA.split("CREATE TABLE group_participants")[1]
    db.executescript("CREATE TABLE group_participants" + legacy)
    gjid = "919847000009-1600000000@g.us"
    for jid, admin in (
        ("", 0),
        ("919847000009@s.whatsapp.net", 1),
        ("919847000002@s.whatsapp.net", 0),
    ):
        db.execute(
            "INSERT INTO group_participants (gjid, jid, admin) VALUES (?, ?, ?)",
            (gjid, jid, admin),
        )
    db.commit()
    db.close()
    (group,) = _read(path).groups
    assert group.creator == "919847000009@s.whatsapp.net"  # from the group's JID
    assert [(m.account.phone, m.admin) for m in group.members] == [
        ("919847000009", True),
        ("919847000002", False),
    ]


def test_whatsapp_ios_groups_creator_owner_media(tmp_path: Path) -> None:
    path = messaging_dbs.whatsapp_ios(tmp_path, OTHER, MEMBERS, SHA, "Share zone")
    before = _snapshot(tmp_path)
    found = _read(path)
    assert _snapshot(tmp_path) == before
    assert [a.phone for a in found.owner] == [OTHER]
    (group,) = found.groups
    assert group.creator == f"{MEMBERS[0]}@s.whatsapp.net"
    assert group.created == datetime.fromtimestamp(1_700_000_000, UTC)
    assert [m.account.phone for m in group.members] == MEMBERS
    (media,) = found.media
    assert media.sha256 == SHA and media.mime_type == "image/jpeg"
    assert media.sender == f"{MEMBERS[0]}@s.whatsapp.net"
    assert media.at == datetime.fromtimestamp(1_700_000_100, UTC)
    assert {c.phone for c in found.contacts} == set(MEMBERS)


def test_telegram_channel_members_creator_admins_and_address_book(
    tmp_path: Path,
) -> None:
    found = _read(messaging_dbs.telegram_android(tmp_path))
    (group,) = found.groups
    assert group.name == "share zone" and group.creator == "101"
    roles = {m.account.identifier: (m.admin, m.creator) for m in group.members}
    assert roles == {"101": (True, True), "102": (True, False), "103": (False, False)}
    names = {
        m.account.identifier: (m.account.name, m.account.username)
        for m in group.members
    }
    assert names["101"] == ("ravi k", "ravi_k") and names["102"] == ("anil", None)
    assert [(c.identifier, c.phone) for c in found.contacts] == [
        ("101", "919847011111")
    ]
    assert group.members[0].account.phone == "919847011111"
    assert any("TL-serialised" in w for w in found.warnings)


def test_an_extraction_is_walked_for_every_app(tmp_path: Path) -> None:
    messaging_dbs.whatsapp_android(tmp_path / "a", OWNER, MEMBERS, SHA, "g")
    messaging_dbs.telegram_android(tmp_path / "a")
    (tmp_path / "a" / "msgstore.db.txt").write_text("not a database")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "msgstore.db").write_bytes(b"not SQLite at all")
    databases, warnings = find_databases(tmp_path, default_readers())
    found = sorted((p.name, r.name) for p, r in databases)
    assert found == [
        ("cache4.db", "telegram-android"),
        ("msgstore.db", "whatsapp-android"),
    ]
    assert len(warnings) == 1 and "b/msgstore.db" in warnings[0]


@pytest.mark.parametrize("reader", default_readers().all(), ids=lambda r: r.name)
def test_every_reader_claims_only_its_own_sqlite_file(
    reader: object, tmp_path: Path
) -> None:
    head = b"SQLite format 3\x00" + b"\x00" * 84
    names = {"whatsapp-android": "msgstore.db", "whatsapp-ios": "ChatStorage.sqlite",
             "telegram-android": "cache4.db"}  # fmt: skip
    own = names[reader.name]  # type: ignore[attr-defined]
    assert reader.sniff(head, tmp_path / own) == 100  # type: ignore[attr-defined]
    assert reader.sniff(b"PK\x03\x04", tmp_path / own) == 0  # type: ignore[attr-defined]
    for other in set(names.values()) - {own}:
        assert reader.sniff(head, tmp_path / other) == 0  # type: ignore[attr-defined]
