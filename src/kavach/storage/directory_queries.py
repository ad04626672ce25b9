"""Profiles of directory persons, read from the records they are made of.

One query per kind of fact, each over all the wanted records at once, so the
directory of a thousand persons costs a handful of queries, not thousands.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, select

from kavach.entities.profile import Conviction, Event, Exhibit, Membership, Profile
from kavach.storage.casework_tables import (
    arrest,
    case_record,
    case_section,
    charge_sheet,
    court_outcome,
    isp_reply,
    isp_window,
    legal_section,
    operation,
    person,
    person_identifier,
    person_link,
    search,
    seized_device,
    tip,
    tip_identifier,
    tip_person,
)
from kavach.storage.directory_tables import directory_member
from kavach.storage.phone_tables import (
    phone_account,
    phone_extraction,
    phone_group,
    phone_group_member,
    phone_known_media,
    phone_reset,
)
from kavach.storage.tables import hash_entry, hit, scan_run

Keys = dict[tuple[int, ...], str]  # parsed record key -> record key
ProfileOf = Callable[[int], Profile]  # casework person id -> its profile
Links = Sequence[Row[Any]]


class SqlDirectoryQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def profiles(self, person_ids: Iterable[int] | None = None) -> list[Profile]:
        """Every filed person's profile (or those of ``person_ids``)."""
        with self._engine.connect() as connection:
            query = select(directory_member.c.record_key, directory_member.c.person_id)
            if person_ids is not None:
                query = query.where(directory_member.c.person_id.in_(list(person_ids)))
            members = {r.record_key: r.person_id for r in connection.execute(query)}
            profiles = {
                pid: Profile(pid, sorted(k for k, p in members.items() if p == pid))
                for pid in sorted(set(members.values()))
            }
            by_kind = _split_keys(members)
            _casework(connection, by_kind["person"], members, profiles)
            _tips(connection, by_kind["tip"], members, profiles)
            _subscribers(connection, by_kind["isp"], members, profiles)
            _phone_accounts(
                connection,
                {**by_kind["owner"], **by_kind["contact"]},
                members,
                profiles,
            )
        return list(profiles.values())


def _split_keys(members: Mapping[str, int]) -> dict[str, dict[tuple[int, ...], str]]:
    """Record keys by kind, parsed: {"person": {(12,): "person:12"}, ...}
    (owner and contact keys both number phone accounts)."""
    kinds: dict[str, dict[tuple[int, ...], str]] = defaultdict(dict)
    for key in members:
        kind, _, rest = key.partition(":")
        kinds[kind][tuple(int(part) for part in rest.split(":"))] = key
    return kinds


def _casework(
    connection: Connection,
    keys: Keys,
    members: Mapping[str, int],
    profiles: dict[int, Profile],
) -> None:
    if not keys:
        return
    ids = [k[0] for k in keys]

    def profile_of(person_id: int) -> Profile:
        return profiles[members[keys[(person_id,)]]]

    for p in connection.execute(select(person).where(person.c.id.in_(ids))):
        key = keys[(p.id,)]
        for form in (p.name, p.name_malayalam):
            if form:
                profile_of(p.id).names.append((form, key))
    for i in connection.execute(
        select(person_identifier).where(person_identifier.c.person_id.in_(ids))
    ):
        profile_of(i.person_id).identifiers.append(
            (i.kind, _shown(i.service, i.value), keys[(i.person_id,)])
        )
    links = connection.execute(
        select(person_link).where(person_link.c.person_id.in_(ids))
    ).all()
    cases = _cases(connection, {k.record_id for k in links if k.record == "case"})
    for k in links:
        key = keys[(k.person_id,)]
        if k.record == "case" and k.record_id in cases:
            number, at, target, kind, search_id = cases[k.record_id]
            profile_of(k.person_id).events.append(
                Event(
                    at,
                    "case",
                    f"{number} ({k.role})",
                    key,
                    k.record_id,
                    search_id=search_id,
                    target_id=target,
                )
            )
    _searches(connection, links, keys, profile_of)
    _arrests(connection, ids, keys, profile_of)
    _charge_sheets(connection, links, keys, profile_of)
    _convictions(connection, ids, keys, profile_of)
    _devices(connection, ids, keys, profile_of)
    _linked_tips(connection, links, keys, profile_of)


def _cases(
    connection: Connection, case_ids: set[int]
) -> dict[int, tuple[str, Any, int | None, str, int | None]]:
    if not case_ids:
        return {}
    rows = connection.execute(
        select(
            case_record.c.id,
            case_record.c.number_text,
            case_record.c.registered_at,
            case_record.c.kind,
            case_record.c.search_id,
            func.coalesce(case_record.c.target_id, search.c.target_id).label("target"),
        )
        .select_from(
            case_record.outerjoin(search, search.c.id == case_record.c.search_id)
        )
        .where(case_record.c.id.in_(list(case_ids)))
    )
    return {
        r.id: (
            r.number_text,
            r.registered_at,
            r.target,
            r.kind.upper().replace("_", " "),
            r.search_id,
        )
        for r in rows
    }


def _searches(
    connection: Connection, links: Links, keys: Keys, profile_of: ProfileOf
) -> None:
    wanted = {k.record_id for k in links if k.record == "search"}
    if not wanted:
        return
    rows = {
        r.id: r
        for r in connection.execute(
            select(search, operation.c.name.label("operation_name"))
            .select_from(
                search.outerjoin(operation, operation.c.id == search.c.operation_id)
            )
            .where(search.c.id.in_(list(wanted)))
        )
    }
    for k in links:
        if k.record == "search" and k.record_id in rows:
            s = rows[k.record_id]
            profile_of(k.person_id).events.append(
                Event(
                    s.started_at,
                    "search",
                    f"search at {s.location} ({k.role}"
                    + (f", {s.operation_name})" if s.operation_name else ")"),
                    keys[(k.person_id,)],
                    search_id=s.id,
                    target_id=s.target_id,
                    operation=s.operation_name,
                )
            )


def _arrests(
    connection: Connection, ids: list[int], keys: Keys, profile_of: ProfileOf
) -> None:
    rows = connection.execute(
        select(arrest, case_record.c.number_text)
        .join(case_record, case_record.c.id == arrest.c.case_id)
        .where(arrest.c.person_id.in_(ids))
    )
    for a in rows:
        profile_of(a.person_id).events.append(
            Event(
                a.at,
                "arrest",
                f"arrested in {a.number_text}" + (f" at {a.place}" if a.place else ""),
                keys[(a.person_id,)],
                a.case_id,
            )
        )


def _charge_sheets(
    connection: Connection, links: Links, keys: Keys, profile_of: ProfileOf
) -> None:
    accused = defaultdict(set)
    for k in links:
        if k.record == "case" and k.role == "accused":
            accused[k.record_id].add(k.person_id)
    if not accused:
        return
    rows = connection.execute(
        select(charge_sheet, case_record.c.number_text)
        .join(case_record, case_record.c.id == charge_sheet.c.case_id)
        .where(charge_sheet.c.case_id.in_(list(accused)))
    )
    for c in rows:
        for person_id in accused[c.case_id]:
            profile_of(person_id).events.append(
                Event(
                    c.filed_at,
                    "charge_sheet",
                    f"charge sheet {c.number or ''} in {c.number_text}".replace(
                        "  ", " "
                    ),
                    keys[(person_id,)],
                    c.case_id,
                )
            )


def _convictions(
    connection: Connection, ids: list[int], keys: Keys, profile_of: ProfileOf
) -> None:
    rows = connection.execute(
        select(court_outcome, case_record.c.number_text)
        .join(case_record, case_record.c.id == court_outcome.c.case_id)
        .where(court_outcome.c.person_id.in_(ids))
    ).all()
    sections = defaultdict(list)
    for s in connection.execute(
        select(
            case_section.c.case_id, legal_section.c.code, legal_section.c.repeat_harsher
        )
        .join(legal_section, legal_section.c.id == case_section.c.section_id)
        .where(case_section.c.case_id.in_([r.case_id for r in rows]))
        .order_by(legal_section.c.code)
    ):
        sections[s.case_id].append((s.code, s.repeat_harsher))
    for o in rows:
        profile = profile_of(o.person_id)
        profile.events.append(
            Event(
                o.decided_at,
                "outcome",
                f"{o.outcome} in {o.number_text}"
                + (f" ({o.court})" if o.court else ""),
                keys[(o.person_id,)],
                o.case_id,
            )
        )
        if o.outcome == "convicted":
            codes = sections[o.case_id]
            profile.convictions.append(
                Conviction(
                    o.case_id,
                    o.number_text,
                    o.decided_at,
                    o.court,
                    tuple(c for c, _ in codes),
                    tuple(c for c, harsher in codes if harsher),
                )
            )


def _devices(
    connection: Connection, ids: list[int], keys: Keys, profile_of: ProfileOf
) -> None:
    devices = connection.execute(
        select(seized_device).where(seized_device.c.owner_person_id.in_(ids))
    ).all()
    exhibits = [d.exhibit_id for d in devices if d.exhibit_id]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if exhibits:
        rows = connection.execute(
            select(
                scan_run.c.exhibit_id,
                func.coalesce(
                    hit.c.category, hash_entry.c.raw_category, "uncategorised"
                ),
                func.count(),
            )
            .select_from(
                hit.join(scan_run, scan_run.c.id == hit.c.scan_id).join(
                    hash_entry, hash_entry.c.id == hit.c.entry_id
                )
            )
            .where(scan_run.c.exhibit_id.in_(exhibits), hit.c.review != "rejected")
            .group_by(scan_run.c.exhibit_id, hit.c.category, hash_entry.c.raw_category)
        )
        for exhibit_id, category, count in rows:
            counts[exhibit_id][category] = counts[exhibit_id].get(category, 0) + count
    for d in devices:
        key = keys[(d.owner_person_id,)]
        profile = profile_of(d.owner_person_id)
        profile.exhibits.append(
            Exhibit(
                d.label, d.exhibit_id, key, dict(counts.get(d.exhibit_id or -1, {}))
            )
        )
        profile.events.append(
            Event(
                d.seized_at,
                "device",
                f"{d.device_type} {d.label} seized",
                key,
                d.case_id,
            )
        )
        if d.imei:
            profile.identifiers.append(("imei", d.imei, key))


def _linked_tips(
    connection: Connection, links: Links, keys: Keys, profile_of: ProfileOf
) -> None:
    wanted = {k.record_id for k in links if k.record == "tip"}
    if not wanted:
        return
    rows = {
        r.id: r
        for r in connection.execute(select(tip).where(tip.c.id.in_(list(wanted))))
    }
    for k in links:
        if k.record == "tip" and k.record_id in rows:
            profile_of(k.person_id).events.append(
                _tip_event(rows[k.record_id], keys[(k.person_id,)])
            )


def _tip_event(t: Row[Any], key: str) -> Event:
    return Event(
        t.received_at,
        "tip",
        f"tip {t.source} {t.report_id}",
        key,
        tip_id=t.id,
        target_id=t.target_id,
    )


def _tips(
    connection: Connection,
    keys: Keys,
    members: Mapping[str, int],
    profiles: dict[int, Profile],
) -> None:
    if not keys:
        return
    tip_ids = sorted({k[0] for k in keys})
    tips = {
        r.id: r for r in connection.execute(select(tip).where(tip.c.id.in_(tip_ids)))
    }
    for p in connection.execute(
        select(tip_person).where(tip_person.c.tip_id.in_(tip_ids))
    ):
        key = keys.get((p.tip_id, p.seq))
        if key is None:
            continue
        profile = profiles[members[key]]
        name = " ".join(filter(None, (p.first_name, p.last_name))) or p.display_name
        if name:
            profile.names.append((name, key))
        profile.events.append(_tip_event(tips[p.tip_id], key))
        for address in json.loads(p.addresses or "[]"):
            profile.identifiers.append(("address", address, key))
    for i in connection.execute(
        select(tip_identifier).where(tip_identifier.c.tip_id.in_(tip_ids))
    ):
        key = keys.get((i.tip_id, i.person_seq))
        if key is not None:
            profiles[members[key]].identifiers.append(
                (i.kind, _shown(i.service, i.value), key)
            )


def _subscribers(
    connection: Connection,
    keys: Keys,
    members: Mapping[str, int],
    profiles: dict[int, Profile],
) -> None:
    if not keys:
        return
    rows = connection.execute(
        select(isp_window, isp_reply.c.isp)
        .join(isp_reply, isp_reply.c.id == isp_window.c.reply_id)
        .where(isp_window.c.id.in_([k[0] for k in keys]))
    )
    for w in rows:
        key = keys[(w.id,)]
        profile = profiles[members[key]]
        if w.subscriber:
            profile.names.append((w.subscriber, key))
        if w.phone:
            profile.identifiers.append(("phone", w.phone, key))
        profile.events.append(
            Event(
                w.start,
                "subscriber",
                f"subscriber of {w.address} by {w.isp or 'an ISP'}"
                + (f" at {w.postal_address}" if w.postal_address else ""),
                key,
            )
        )


def _shown(service: str | None, value: str) -> str:
    return f"{value} ({service})" if service else value


def _phone_accounts(
    connection: Connection,
    keys: Keys,
    members: Mapping[str, int],
    profiles: dict[int, Profile],
) -> None:
    """Accounts on seized phones; an owner's account brings the phone's groups,
    reset signs and the media a list held."""
    if not keys:
        return
    rows = connection.execute(
        select(
            phone_account,
            seized_device.c.label,
            phone_extraction.c.read_at,
            phone_extraction.c.device_id,
        )
        .join(phone_extraction, phone_extraction.c.id == phone_account.c.extraction_id)
        .join(seized_device, seized_device.c.id == phone_extraction.c.device_id)
        .where(phone_account.c.id.in_([k[0] for k in keys]))
    ).all()
    owners: dict[int, list[tuple[Profile, str, str, str]]] = defaultdict(list)
    for a in rows:
        key = keys[(a.id,)]
        profile = profiles[members[key]]
        if a.name:
            profile.names.append((a.name, key))
        if a.phone:
            profile.identifiers.append(("phone", f"+{a.phone}", key))
        if a.username:
            profile.identifiers.append(("handle", f"{a.username} ({a.app})", key))
        if a.role == "owner":
            owners[a.extraction_id].append((profile, key, a.identifier, a.label))
            profile.events.append(
                Event(a.read_at, "extraction", f"{a.app} account on {a.label}", key)
            )
    if owners:
        _groups(connection, owners)
        _resets_and_media(connection, owners)


def _groups(
    connection: Connection, owners: dict[int, list[tuple[Profile, str, str, str]]]
) -> None:
    groups = connection.execute(
        select(phone_group).where(phone_group.c.extraction_id.in_(list(owners)))
    ).all()
    roles: dict[tuple[int, str], str] = {}
    for m in connection.execute(
        select(phone_group_member).where(
            phone_group_member.c.group_id.in_([g.id for g in groups])
        )
    ):
        roles[(m.group_id, m.identifier)] = (
            "creator" if m.creator else "admin" if m.admin else "member"
        )
    for g in groups:
        for profile, key, identifier, label in owners[g.extraction_id]:
            role = roles.get((g.id, identifier))
            if role is None:
                role = "creator" if g.creator == identifier else "member"
            profile.groups.append(
                Membership(g.app, g.identifier, g.name, role, key, label)
            )


def _resets_and_media(
    connection: Connection, owners: dict[int, list[tuple[Profile, str, str, str]]]
) -> None:
    for r in connection.execute(
        select(phone_reset).where(phone_reset.c.extraction_id.in_(list(owners)))
    ):
        for profile, key, _identifier, label in owners[r.extraction_id]:
            profile.events.append(
                Event(r.at, "reset", f"{label}: device reset ({r.kind})", key)
            )
    known: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for m in connection.execute(
        select(phone_known_media).where(
            phone_known_media.c.extraction_id.in_(list(owners))
        )
    ):
        lists = json.loads(m.lists) or [{}]
        known[m.extraction_id][lists[0].get("category") or "uncategorised"] += 1
    for extraction, found in known.items():
        for profile, key, _identifier, label in owners[extraction]:
            profile.exhibits.append(Exhibit(label, None, key, {}, dict(found)))
