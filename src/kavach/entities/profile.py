"""What the directory says about one person: names, identifiers, timeline, flags.

Built from the person's records (``storage/directory_queries.py`` reads them).
The rules that decide who *recurs* and who is a *repeat* offender live here, so
they read in one place:

- an *episode* is one case (its arrests, charge sheets and outcome with it), or a
  tip or search that led to none of the person's cases (tips joined into one
  target are one episode: the same report sent twice is not a second offence);
- a person *recurs* with two or more episodes, or any conviction;
- a person is a *repeat* offender when a case registered, or a charge sheet filed,
  after a conviction names him: the earlier conviction is what the flag rests on
  (IT Act 67B, POCSO 14 and 15 punish a second conviction more harshly).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Event:
    """One thing that happened to a record: a tip, search, case step, ISP answer."""

    at: datetime | None
    kind: str  # tip, search, case, arrest, charge_sheet, outcome, subscriber, device
    text: str
    record: str  # the record key it was read from
    case_id: int | None = None
    tip_id: int | None = None
    search_id: int | None = None
    target_id: int | None = None
    operation: str | None = None


@dataclass(frozen=True)
class Conviction:
    case_id: int
    case: str  # the case number as printed
    decided_at: datetime
    court: str | None
    sections: tuple[str, ...]
    harsher_on_repeat: tuple[str, ...]  # the sections that punish a repeat harder


@dataclass(frozen=True)
class Exhibit:
    label: str
    exhibit_id: int | None
    record: str
    hits: dict[str, int]  # category (or "uncategorised") -> hits
    # Media records whose SHA-256 a list held, the file itself gone or not.
    once_present: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Membership:
    """A messaging group a person's account sits in, as a seized phone shows it."""

    app: str
    group: str  # the app's group identifier: the same on every member's phone
    name: str | None
    role: str  # creator, admin or member
    record: str
    device: str  # the seized device whose extraction shows it


@dataclass(frozen=True)
class Repeat:
    """A conviction, and the later case or charge sheet that names him again."""

    conviction: Conviction
    named_again: Event


@dataclass
class Profile:
    person_id: int
    records: list[str]
    names: list[tuple[str, str]] = field(default_factory=list)  # form, record
    identifiers: list[tuple[str, str, str]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    convictions: list[Conviction] = field(default_factory=list)
    exhibits: list[Exhibit] = field(default_factory=list)
    groups: list[Membership] = field(default_factory=list)

    def episodes(self) -> list[str]:
        """One key per episode (see the module's rules), sorted."""
        case_of_search: dict[int | None, int] = {
            e.search_id: e.case_id for e in self.events if e.case_id and e.search_id
        }
        case_of_target: dict[int | None, int] = {
            e.target_id: e.case_id for e in self.events if e.case_id and e.target_id
        }
        found = set()
        for e in self.events:
            if e.case_id is not None:
                found.add(f"case:{e.case_id}")
            elif e.kind == "search":
                case = case_of_search.get(e.search_id) or case_of_target.get(
                    e.target_id
                )
                found.add(f"case:{case}" if case else f"search:{e.search_id}")
            elif e.kind == "tip":
                case = case_of_target.get(e.target_id)
                if case:
                    found.add(f"case:{case}")
                elif e.target_id is not None:
                    found.add(f"target:{e.target_id}")
                else:
                    found.add(f"tip:{e.tip_id}")
        return sorted(found)

    def recurs(self) -> bool:
        return len(self.episodes()) >= 2 or bool(self.convictions)

    def repeat(self) -> Repeat | None:
        """The earliest conviction followed by a case or charge sheet naming him."""
        for conviction in sorted(self.convictions, key=lambda c: c.decided_at):
            later = [
                (e.at, e.text, e)
                for e in self.events
                if e.kind in ("case", "charge_sheet")
                and e.case_id != conviction.case_id
                and e.at is not None
                and e.at > conviction.decided_at
            ]
            if later:
                return Repeat(conviction, min(later, key=lambda t: t[:2])[2])
        return None

    def timeline(self) -> list[Event]:
        return sorted(self.events, key=lambda e: (e.at is None, e.at, e.kind, e.text))
