"""What ties directory persons together, read for the network (entities/network.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import Engine, func, select

from kavach.entities.network import Attribution, Contact, GroupSeen, ItemHit
from kavach.entities.profile import Profile
from kavach.storage.casework_tables import seized_device, tip_ip_event
from kavach.storage.directory_queries import SqlDirectoryQueries
from kavach.storage.directory_tables import directory_member
from kavach.storage.phone_tables import (
    phone_account,
    phone_extraction,
    phone_group,
    phone_group_member,
    phone_known_media,
)
from kavach.storage.tables import hash_entry, hashset, hashset_version, hit, scan_run


class SqlNetworkQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def profiles(self) -> list[Profile]:
        return SqlDirectoryQueries(self._engine).profiles()

    def members(self) -> dict[str, int]:
        """Record key -> directory person, for every filed record."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(directory_member.c.record_key, directory_member.c.person_id)
            )
            return {r.record_key: r.person_id for r in rows}

    def group_members(self) -> list[GroupSeen]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(
                    phone_group.c.app,
                    phone_group.c.identifier,
                    phone_group.c.name,
                    phone_group_member.c.phone,
                    phone_group_member.c.admin,
                    phone_group_member.c.creator,
                    seized_device.c.label,
                )
                .join(phone_group, phone_group.c.id == phone_group_member.c.group_id)
                .join(
                    phone_extraction,
                    phone_extraction.c.id == phone_group.c.extraction_id,
                )
                .join(seized_device, seized_device.c.id == phone_extraction.c.device_id)
                .where(phone_group_member.c.phone.is_not(None))
            ).all()
        return [
            GroupSeen(
                r.app,
                r.identifier,
                r.name,
                f"+{r.phone}" if r.phone.isdigit() else r.phone,
                "creator" if r.creator else "admin" if r.admin else "member",
                r.label,
            )
            for r in rows
        ]

    def contacts(self, person_of: Mapping[str, int]) -> list[Contact]:
        """Numbers in the address books of phones seized from filed persons."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(
                    seized_device.c.owner_person_id,
                    seized_device.c.label,
                    phone_account.c.phone,
                    phone_account.c.name,
                )
                .join(
                    phone_extraction,
                    phone_extraction.c.id == phone_account.c.extraction_id,
                )
                .join(seized_device, seized_device.c.id == phone_extraction.c.device_id)
                .where(
                    phone_account.c.role == "contact",
                    phone_account.c.phone.is_not(None),
                    seized_device.c.owner_person_id.is_not(None),
                )
            ).all()
        found = []
        for r in rows:
            person = person_of.get(f"person:{r.owner_person_id}")
            if person is not None:
                phone = f"+{r.phone}" if r.phone.isdigit() else r.phone
                found.append(Contact(person, phone, r.name, r.label))
        return found

    def items(self, person_of: Mapping[str, int]) -> list[ItemHit]:
        """Listed items on exhibits seized from filed persons: scan hits (not
        rejected) and media records a phone's chats kept."""
        owner = func.coalesce(seized_device.c.owner_person_id, -1)
        found = []
        with self._engine.connect() as connection:
            hits = connection.execute(
                select(
                    owner.label("owner"),
                    seized_device.c.label,
                    hash_entry.c.sha256,
                    hash_entry.c.sha1,
                    hash_entry.c.md5,
                    hashset.c.name,
                    func.coalesce(hit.c.category, hash_entry.c.raw_category).label(
                        "category"
                    ),
                )
                .select_from(
                    hit.join(scan_run, scan_run.c.id == hit.c.scan_id)
                    .join(
                        seized_device,
                        seized_device.c.exhibit_id == scan_run.c.exhibit_id,
                    )
                    .join(hash_entry, hash_entry.c.id == hit.c.entry_id)
                    .join(hashset_version, hashset_version.c.id == hit.c.version_id)
                    .join(hashset, hashset.c.id == hashset_version.c.hashset_id)
                )
                .where(
                    seized_device.c.owner_person_id.is_not(None),
                    hit.c.review != "rejected",
                )
            ).all()
            for h in hits:
                person = person_of.get(f"person:{h.owner}")
                digest = _digest(h.sha256, h.sha1, h.md5)
                if person is not None and digest:
                    found.append(
                        ItemHit(
                            person,
                            h.label,
                            digest,
                            f"hit on {h.label}: list {h.name}, category "
                            f"{h.category or 'none'}",
                        )
                    )
            media = connection.execute(
                select(
                    seized_device.c.owner_person_id,
                    seized_device.c.label,
                    phone_known_media.c.sha256,
                    phone_known_media.c.chat_name,
                    phone_known_media.c.lists,
                )
                .join(
                    phone_extraction,
                    phone_extraction.c.id == phone_known_media.c.extraction_id,
                )
                .join(seized_device, seized_device.c.id == phone_extraction.c.device_id)
                .where(seized_device.c.owner_person_id.is_not(None))
            ).all()
        for m in media:
            person = person_of.get(f"person:{m.owner_person_id}")
            lists = ", ".join(entry["list"] for entry in json.loads(m.lists))
            if person is not None:
                found.append(
                    ItemHit(
                        person,
                        m.label,
                        f"sha256:{m.sha256}",
                        f"known file once present on {m.label} (chat "
                        f"{m.chat_name or '?'}): {lists}",
                    )
                )
        return found

    def attributions(self, person_of: Mapping[str, int]) -> list[Attribution]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(
                    tip_ip_event.c.tip_id,
                    tip_ip_event.c.person_seq,
                    tip_ip_event.c.window_id,
                    tip_ip_event.c.address,
                    tip_ip_event.c.at,
                ).where(
                    tip_ip_event.c.window_id.is_not(None),
                    tip_ip_event.c.person_seq.is_not(None),
                )
            ).all()
        found = []
        for r in rows:
            tipped = person_of.get(f"tip:{r.tip_id}:{r.person_seq}")
            line = person_of.get(f"isp:{r.window_id}")
            if tipped is not None and line is not None:
                at = r.at.isoformat() if r.at else "an unknown time"
                found.append(
                    Attribution(
                        tipped,
                        line,
                        f"tip {r.tip_id}: {r.address} at {at} on the subscriber's "
                        f"line (ISP window {r.window_id})",
                    )
                )
        return found


def _digest(sha256: str | None, sha1: str | None, md5: str | None) -> str | None:
    for name, value in (("sha256", sha256), ("sha1", sha1), ("md5", md5)):
        if value:
            return f"{name}:{value}"
    return None
