"""The directory of persons: every person-shaped record resolved into persons.

``resolve`` files the records not yet filed (incremental: a new record joins a
filed person, other persons' ids do not move) or, with ``full``, scores every
pair again and keeps each person's id by majority. An analyst's decision
(confirm, never, split, merge) is filed at once: the persons it touches are
regrouped from their stored links, and every later run respects it.
Audited: the directory is personal data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from kavach.audit.ports import AuditLog
from kavach.entities.linkage import DEFAULT_THRESHOLD, Link, Record
from kavach.entities.vocabulary import DecisionKind, LinkState, RunMode
from kavach.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from kavach.entities.grouping import Grouping
    from kavach.entities.ports import (
        DirectoryQueries,
        DirectoryRepository,
        RunRecord,
    )
    from kavach.entities.profile import Conviction, Profile

Stage = Callable[[str], None]


@dataclass(frozen=True)
class Explained:
    """A stored link between two records, with its state and comparison detail."""

    link: Link
    state: str


class DirectoryService:
    def __init__(
        self,
        repository: DirectoryRepository,
        queries: DirectoryQueries,
        audit: AuditLog,
        reference_year: int | None = None,
    ) -> None:
        self._repository = repository
        self._queries = queries
        self._audit = audit
        self._year = reference_year or date.today().year

    # ---- runs ----

    def resolve(
        self,
        actor: str,
        *,
        full: bool = False,
        threshold: float = DEFAULT_THRESHOLD,
        stage: Stage = lambda _: None,
    ) -> RunRecord:
        """File every record not yet filed (or, ``full``, re-score everything)."""
        from kavach.entities.grouping import group, stable_ids
        from kavach.entities.linkage import is_current, resolve, resolve_new
        from kavach.entities.ports import Filing

        if not 0.0 < threshold < 1.0:
            raise InputError(f"--threshold {threshold}: must lie between 0 and 1")
        stage("reading person records")
        records = self._repository.records()
        keys = [r.record_id for r in records]
        present = set(keys)
        everything_filed = self._repository.filed()
        filed = {k: p for k, p in everything_filed.items() if k in present}
        decisions = self._repository.decisions()
        stored = self._repository.model() if filed else None
        # A model filed by an earlier Kavach, before its comparisons changed,
        # cannot score new pairs beside the old: everything is scored again (ids
        # stay put, decisions hold, as in any full run).
        outdated = not is_current(stored)
        incremental = bool(filed) and not full and not outdated
        new = [r for r in records if r.record_id not in filed]
        if incremental:
            stage(f"scoring {len(new):,} new of {len(records):,} records")
        else:
            why = " (the last full run's model predates today's comparisons)"
            stage(
                f"scoring {len(records):,} records (training, then pairs)"
                + (why if outdated and not full else "")
            )
        if incremental:
            existing = [r for r in records if r.record_id in filed]
            resolution = resolve_new(
                existing,
                new,
                reference_year=self._year,
                model=stored,
                threshold=threshold,
            )
            model = None
        else:
            resolution = resolve(
                records, reference_year=self._year, threshold=threshold
            )
            model = resolution.model
        links = [_plain(link) for link in resolution.links]
        links += self._known_links(present, set(filed) if incremental else None)
        settled = filed if incremental else None
        grouping = group(keys, links, decisions, settled=settled)
        # Address-book entries join, afterwards, the one person holding the number.
        saved = self._repository.contacts()
        if saved:
            keys, links, filed = self._with_contacts(
                saved,
                records,
                keys,
                links,
                filed,
                everything_filed,
                grouping.groups,
                incremental,
            )
            settled = filed if incremental else None
            grouping = group(keys, links, decisions, settled=settled)
        stage("filing persons")
        outcome = Filing(
            mode=RunMode.INCREMENTAL if incremental else RunMode.FULL,
            groups=grouping.groups,
            kept=stable_ids(grouping.groups, filed),
            links=_states(links, grouping),
            new_records=len(new),
            pairs_scored=resolution.pairs_scored,
            threshold=threshold,
            model=model,
        )
        run = self._repository.file(outcome, actor)
        self._audit.record(
            actor,
            "directory.resolve",
            f"run:{run.run_id}",
            {
                "mode": run.mode.value,
                "records": run.records,
                "new_records": run.new_records,
                "persons": run.persons,
                "new_persons": run.new_persons,
                "links": run.links,
                "suggested_merges": len(grouping.suggested),
            },
        )
        return run

    def _with_contacts(
        self,
        saved: list[tuple[str, str]],
        records: list[Record],
        keys: list[str],
        links: list[Link],
        filed: dict[str, int],
        everything_filed: Mapping[str, int],
        groups: Mapping[str, str],
        incremental: bool,
    ) -> tuple[list[str], list[Link], dict[str, int]]:
        """The keys, links and filed records with the address-book entries in."""
        filed_contacts = {
            k: everything_filed[k] for k, _ in saved if k in everything_filed
        }
        # a full run links every entry again; an incremental one the new ones
        linking = [
            (k, phone)
            for k, phone in saved
            if not incremental or k not in filed_contacts
        ]
        # entries filed before hold their number too (an unknown man's), in their
        # person's group (their own, if he is only that)
        holding = [Record(k, {"phone": p}) for k, p in saved if k in filed_contacts]
        group_of = {filed[k]: g for k, g in groups.items() if k in filed}
        everyone = {
            **groups,
            **{k: group_of.get(p, f"#{p}") for k, p in filed_contacts.items()},
        }
        links = links + _contact_links([*records, *holding], linking, everyone)
        keys = keys + [key for key, _ in saved]
        # filed entries keep their person's id by vote too
        return keys, links, {**filed, **filed_contacts}

    def _known_links(self, present: set[str], filed: set[str] | None) -> list[Link]:
        """Fact links (a phone's own account and the man it was seized from); in
        an incremental run only those touching a new record."""
        found = []
        for a, b, why in self._repository.known_links():
            if a not in present or b not in present:
                continue
            if filed is not None and a in filed and b in filed:
                continue
            found.append(Link(a, b, 0.0, 1.0, {why: "recorded"}, {}, why))
        return found

    # ---- decisions ----

    def confirm(self, a: str, b: str, reason: str, actor: str) -> RunRecord:
        """Records ``a`` and ``b`` are one person (their persons merge)."""
        return self._decide(DecisionKind.TOGETHER, [(a, b)], reason, actor)

    def never(self, a: str, b: str, reason: str, actor: str) -> RunRecord:
        """Records ``a`` and ``b`` are two people, whatever later runs score."""
        return self._decide(DecisionKind.APART, [(a, b)], reason, actor)

    def merge(self, person_a: int, person_b: int, reason: str, actor: str) -> RunRecord:
        first = self._first_member(person_a)
        second = self._first_member(person_b)
        return self._decide(DecisionKind.TOGETHER, [(first, second)], reason, actor)

    def never_persons(
        self, person_a: int, person_b: int, reason: str, actor: str
    ) -> RunRecord:
        """Two persons are two men: no later run joins them."""
        first = self._first_member(person_a)
        second = self._first_member(person_b)
        return self._decide(DecisionKind.APART, [(first, second)], reason, actor)

    def now_filed_as(self, person_id: int) -> int:
        """The person a retired one went into (following merges), else itself."""
        seen = {person_id}
        retired, into = self._repository.retired(person_id)
        while retired and into is not None and into not in seen:
            person_id = into
            seen.add(into)
            retired, into = self._repository.retired(person_id)
        return person_id

    def split(
        self, person_id: int, keys: Iterable[str], reason: str, actor: str
    ) -> RunRecord:
        """The records ``keys`` of a person are another person: never with the
        rest, together among themselves."""
        members = self._repository.members([person_id])
        if not members:
            raise NotFoundError(f"no person {person_id} in the directory")
        off = sorted(set(keys))
        strangers = [k for k in off if k not in members]
        if strangers:
            raise InputError(f"{strangers[0]}: not a record of person {person_id}")
        rest = sorted(set(members) - set(off))
        if not off or not rest:
            raise InputError(
                f"split person {person_id}: name some of its records, not none or all"
            )
        self._check_reason(reason)
        self._repository.add_decision(
            DecisionKind.APART, [(a, b) for a in off for b in rest], reason, actor
        )
        if len(off) > 1:
            self._repository.add_decision(
                DecisionKind.TOGETHER, [(off[0], k) for k in off[1:]], reason, actor
            )
        return self._regroup([person_id], actor, "split", off, reason)

    def _decide(
        self,
        kind: DecisionKind,
        pairs: list[tuple[str, str]],
        reason: str,
        actor: str,
    ) -> RunRecord:
        self._check_reason(reason)
        filed = self._repository.filed()
        for a, b in pairs:
            for key in (a, b):
                if key not in filed:
                    raise NotFoundError(
                        f"{key}: no such record in the directory "
                        "(record keys look like person:12, tip:40:1, isp:7; "
                        "run `kavach directory resolve` first)"
                    )
            if a == b:
                raise InputError(f"{a}: a decision needs two different records")
        self._repository.add_decision(kind, pairs, reason, actor)
        persons = sorted({filed[k] for pair in pairs for k in pair})
        return self._regroup(
            persons, actor, kind.value, [k for p in pairs for k in p], reason
        )

    def _regroup(
        self,
        persons: list[int],
        actor: str,
        decision: str,
        keys: list[str],
        reason: str,
    ) -> RunRecord:
        """Group the decision's persons again from their stored links."""
        from kavach.entities.grouping import group, stable_ids
        from kavach.entities.ports import Filing

        members = self._repository.members(persons)
        links = self._repository.links_among(members)
        grouping = group(sorted(members), links, self._repository.decisions())
        outcome = Filing(
            mode=RunMode.DECISION,
            groups=grouping.groups,
            kept=stable_ids(grouping.groups, members),
            links=_states(links, grouping),
            scope=frozenset(members),
        )
        run = self._repository.file(outcome, actor)
        self._audit.record(
            actor,
            f"directory.{decision}",
            ",".join(keys),
            {
                "reason": reason,
                "persons_before": persons,
                "persons_after": run.persons,
                "new_persons": run.new_persons,
                "retired": run.retired,
                "run": run.run_id,
            },
        )
        return run

    def _first_member(self, person_id: int) -> str:
        members = self._repository.members([person_id])
        if not members:
            raise NotFoundError(f"no person {person_id} in the directory")
        return min(members)

    @staticmethod
    def _check_reason(reason: str) -> None:
        if not reason.strip():
            raise InputError("a decision needs a reason (--reason): it is audited")

    # ---- reading ----

    def recurring(self, actor: str, everyone: bool = False) -> list[Profile]:
        """Persons who recur (two episodes or a conviction), repeat offenders
        first; ``everyone`` lists every filed person."""
        profiles = self._queries.profiles()
        shown = [p for p in profiles if everyone or p.recurs()]
        shown.sort(key=lambda p: (p.repeat() is None, -len(p.episodes()), p.person_id))
        self._audit.record(
            actor,
            "directory.list",
            "directory",
            {"persons": len(shown), "everyone": everyone},
        )
        return shown

    def earlier_convictions(
        self,
        casework_person: int,
        case_id: int | None,
        actor: str,
        file_new: bool = True,
    ) -> list[Conviction]:
        """Convictions, in other cases, of the man a casework person resolves to:
        shown when a new FIR or charge sheet names him (a repeat conviction is
        punished more harshly). Files him first if he is not filed yet (unless
        ``file_new`` is false: a page shows what the directory holds now)."""
        key = f"person:{casework_person}"
        filed = self._repository.filed()
        if key not in filed and file_new:
            self.resolve(actor)
            filed = self._repository.filed()
        if key not in filed:
            return []
        (profile,) = self._queries.profiles([filed[key]])
        found = [c for c in profile.convictions if c.case_id != case_id]
        self._audit.record(
            actor,
            "directory.repeat_check",
            key,
            {"person": filed[key], "convictions": [c.case for c in found]},
        )
        return sorted(found, key=lambda c: c.decided_at)

    def profile(self, person_id: int, actor: str) -> Profile:
        found = self._queries.profiles([person_id])
        if not found:
            retired, into = self._repository.retired(person_id)
            if retired and into:
                raise NotFoundError(f"person {person_id} was merged into person {into}")
            raise NotFoundError(f"no person {person_id} in the directory")
        self._audit.record(actor, "directory.show", f"directory_person:{person_id}")
        return found[0]

    def person_of(self, key: str, actor: str) -> int:
        filed = self._repository.filed()
        if key not in filed:
            raise NotFoundError(f"{key}: no such record in the directory")
        self._audit.record(actor, "directory.lookup", key, {"person": filed[key]})
        return filed[key]

    def explain(self, person_id: int, actor: str) -> list[Explained]:
        """Every stored link of a person's records: followed, refused, suggested."""
        members = self._repository.members([person_id])
        if not members:
            retired, into = self._repository.retired(person_id)
            if retired:
                raise NotFoundError(
                    f"person {person_id} was merged into person {into}"
                    if into
                    else f"person {person_id} no longer has records"
                )
            raise NotFoundError(f"no person {person_id} in the directory")
        found = [
            Explained(link, state) for link, state in self._repository.links_of(members)
        ]
        self._audit.record(actor, "directory.explain", f"directory_person:{person_id}")
        return found


def _contact_links(
    records: list[Record], saved: list[tuple[str, str]], groups: Mapping[str, str]
) -> list[Link]:
    """A saved number held by the records of exactly one person links the
    address-book entry to one of them; the entries of a number nobody holds are
    one unknown man; a number two persons hold (a family's) links nothing."""
    from kavach.entities.features import phone_key

    holders: dict[str, set[str]] = defaultdict(set)
    for r in records:
        for value in re.split(r"[;|,/]+", r.roles.get("phone", "")):
            if value.strip():
                holders[phone_key(value)].add(r.record_id)
    links = []
    unheld: dict[str, str] = {}  # a number no record holds -> its first entry
    for key, phone in saved:
        number = phone_key(phone)
        held = holders.get(number, set())
        if not held:
            # the same unknown number on several phones: one unknown man
            first = unheld.setdefault(number, key)
            held = {first} if first != key else set()
        elif len({groups[h] for h in held}) != 1:
            continue
        if held:
            links.append(
                Link(
                    key,
                    min(held),
                    0.0,
                    1.0,
                    {"phone": "saved number"},
                    {},
                    "saved number",
                )
            )
    return links


def _plain(link: Link) -> Link:
    """A link named by record keys alone (the linker prefixes its dataset)."""
    return replace(
        link, left=link.left.split("\x1f", 1)[-1], right=link.right.split("\x1f", 1)[-1]
    )


def _states(links: list[Link], grouping: Grouping) -> list[tuple[Link, LinkState]]:
    refused = {(link.left, link.right) for link in grouping.refused}
    suggested = {(link.left, link.right) for link, _a, _b in grouping.suggested}
    states = []
    for link in links:
        pair = (link.left, link.right)
        if grouping.groups.get(link.left) == grouping.groups.get(link.right):
            states.append((link, LinkState.LINKED))
        elif pair in suggested:
            states.append((link, LinkState.SUGGESTED))
        elif pair in refused:
            states.append((link, LinkState.REFUSED))
    return states
