"""The network behind the directory: persons, groups, identifiers, exhibits, items.

Nodes are directory persons and what ties them: messaging groups (the app's group
id, the same on every member's phone), identifiers two or more persons hold, the
exhibits seized from them and the known-list items those exhibits share. Every
edge carries its evidence — the record, device or list it was read from — so an
analyst can say *why* two men are drawn together.

Communities are found on the persons alone: two persons are joined by one unit of
weight for each group, shared identifier or shared item, and by the ISP's
attribution of one's tip to the other's line (networkx's Louvain, seeded, so the
same data gives the same communities).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kavach.entities.profile import Profile

# An identifier kind worth a node when two persons hold it (addresses are not).
TYING_KINDS = ("phone", "email", "handle", "screen_name", "esp_user_id", "imei")


@dataclass(frozen=True)
class GroupSeen:
    """A group member as one phone's app lists it (the member may be no owner)."""

    app: str
    group: str
    name: str | None
    phone: str  # +digits
    role: str
    device: str


@dataclass(frozen=True)
class Contact:
    """A number in the address book of a phone seized from a person."""

    person_id: int  # the directory person the phone was seized from
    phone: str  # +digits
    name: str | None  # as the owner saved it
    device: str


@dataclass(frozen=True)
class ItemHit:
    """A known-list item found on an exhibit seized from a person."""

    person_id: int
    exhibit: str
    item: str  # "sha256:<hex>", "md5:<hex>": the digest the item was known by
    evidence: str  # "list X version 3, category A"


@dataclass(frozen=True)
class Attribution:
    """The ISP put the IP of one person's tip on another person's line."""

    tip_person: int
    subscriber: int
    evidence: str


@dataclass
class Edge:
    source: str
    target: str
    kind: str  # member_of, holds, knows, seized_from, holds_item, attributed_to
    evidence: list[str] = field(default_factory=list)


@dataclass
class Community:
    persons: list[str]  # person node ids, sorted
    ties: list[Edge]  # the edges inside it that drew it together


@dataclass
class Network:
    nodes: dict[str, dict[str, str]]  # id -> {"kind", "label"}
    edges: list[Edge]
    communities: list[Community]

    def graph(self) -> Any:
        """The whole network as a networkx graph (for GraphML)."""
        import networkx as nx  # type: ignore[import-untyped]

        # A person may both hold a number and have it saved: one edge per kind.
        g = nx.MultiGraph()
        for node, attrs in self.nodes.items():
            g.add_node(node, **attrs)
        for e in self.edges:
            g.add_edge(
                e.source,
                e.target,
                key=e.kind,
                kind=e.kind,
                evidence="; ".join(e.evidence),
            )
        for number, community in enumerate(self.communities, start=1):
            for person in community.persons:
                g.nodes[person]["community"] = number
        return g


class _Builder:
    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, str]] = {}
        self.edges: dict[tuple[str, str, str], Edge] = {}

    def node(self, key: str, kind: str, label: str) -> str:
        self.nodes.setdefault(key, {"kind": kind, "label": label})
        return key

    def edge(self, a: str, b: str, kind: str, evidence: str) -> None:
        found = self.edges.setdefault((a, b, kind), Edge(a, b, kind))
        if evidence not in found.evidence:
            found.evidence.append(evidence)


# Which record's name labels a person: the police's own first, an app's last.
_LABEL_ORDER = ("person", "tip", "isp", "owner")


def _person(b: _Builder, p: Profile) -> str:
    def rank(name: tuple[str, str]) -> tuple[int, bool, str]:
        form, record = name
        kind = record.split(":", 1)[0]
        order = _LABEL_ORDER.index(kind) if kind in _LABEL_ORDER else len(_LABEL_ORDER)
        return (order, not form.isascii(), form)

    names = sorted(p.names, key=rank)
    return b.node(f"person:{p.person_id}", "person", names[0][0] if names else "?")


def build(
    profiles: Sequence[Profile],
    seen: Iterable[GroupSeen] = (),
    items: Iterable[ItemHit] = (),
    attributions: Iterable[Attribution] = (),
    contacts: Iterable[Contact] = (),
) -> Network:
    b = _Builder()
    by_id = {p.person_id: p for p in profiles}
    holders: dict[tuple[str, str], dict[int, list[str]]] = defaultdict(dict)
    for p in profiles:
        for kind, value, record in p.identifiers:
            if kind in TYING_KINDS:
                holders[(kind, value)].setdefault(p.person_id, []).append(record)
    phone_holders = {
        value: sorted(persons)
        for (kind, value), persons in holders.items()
        if kind == "phone"
    }
    knowers: dict[str, dict[int, list[str]]] = defaultdict(dict)
    for c in contacts:
        if c.person_id in by_id:
            saved = f"in the address book of {c.device} as {c.name or 'no name'}"
            knowers[c.phone].setdefault(c.person_id, []).append(saved)
    for p in profiles:
        for m in p.groups:
            group = b.node(f"group:{m.app}:{m.group}", "group", m.name or m.group)
            b.edge(
                _person(b, p),
                group,
                "member_of",
                f"{m.role}; own account on {m.device}",
            )
    for s in seen:
        group = b.node(f"group:{s.app}:{s.group}", "group", s.name or s.group)
        for person_id in phone_holders.get(s.phone, []):
            b.edge(
                _person(b, by_id[person_id]),
                group,
                "member_of",
                f"{s.role} {s.phone}, in the group's members on {s.device}",
            )
    for (kind, value), persons in sorted(holders.items()):
        known = knowers.get(value, {}) if kind == "phone" else {}
        if len(set(persons) | set(known)) < 2:
            continue
        node = b.node(f"{kind}:{value}", kind, value)
        for person_id, records in sorted(persons.items()):
            b.edge(
                _person(b, by_id[person_id]), node, "holds", ", ".join(sorted(records))
            )
        for person_id, notes in sorted(known.items()):
            b.edge(_person(b, by_id[person_id]), node, "knows", "; ".join(notes))
    for value, known in sorted(knowers.items()):
        # a number two suspects saved that no filed person holds
        if ("phone", value) not in holders and len(known) >= 2:
            node = b.node(f"phone:{value}", "phone", value)
            for person_id, notes in sorted(known.items()):
                b.edge(_person(b, by_id[person_id]), node, "knows", "; ".join(notes))
    _items(b, by_id, list(items))
    for a in attributions:
        if a.tip_person != a.subscriber and {a.tip_person, a.subscriber} <= set(by_id):
            b.edge(
                _person(b, by_id[a.tip_person]),
                _person(b, by_id[a.subscriber]),
                "attributed_to",
                a.evidence,
            )
    edges = list(b.edges.values())
    return Network(b.nodes, edges, _communities(b.nodes, edges))


def _items(b: _Builder, by_id: dict[int, Profile], items: list[ItemHit]) -> None:
    """Items on the exhibits of two or more persons tie them (through exhibits)."""
    persons_of: dict[str, set[int]] = defaultdict(set)
    for hit in items:
        persons_of[hit.item].add(hit.person_id)
    for hit in items:
        if len(persons_of[hit.item]) < 2 or hit.person_id not in by_id:
            continue
        exhibit = b.node(f"exhibit:{hit.exhibit}", "exhibit", hit.exhibit)
        b.edge(_person(b, by_id[hit.person_id]), exhibit, "seized_from", hit.exhibit)
        item = b.node(f"item:{hit.item}", "item", hit.item)
        b.edge(exhibit, item, "holds_item", hit.evidence)


def _communities(
    nodes: dict[str, dict[str, str]], edges: list[Edge]
) -> list[Community]:
    """Louvain on the persons, weighted by what each pair shares."""
    import networkx as nx

    by_node: dict[str, set[str]] = defaultdict(set)  # a tie -> persons at it
    ties: dict[str, list[Edge]] = defaultdict(list)
    direct = nx.Graph()
    for e in edges:
        if e.kind == "attributed_to":
            direct.add_edge(e.source, e.target, weight=1.0)
            ties[e.source].append(e)
            continue
        for person, other in ((e.source, e.target), (e.target, e.source)):
            if nodes[person]["kind"] == "person":
                by_node[other].add(person)
                ties[other].append(e)
    # An item ties the persons its exhibits were seized from.
    seized = {e.target: e for e in edges if e.kind == "seized_from"}
    for e in edges:
        if e.kind == "holds_item":
            for owner in by_node.get(e.source, set()):
                by_node[e.target].add(owner)
            ties[e.target] += [seized[e.source], e]
    graph = direct
    for tie, persons in by_node.items():
        if nodes[tie]["kind"] == "exhibit":
            continue
        ordered = sorted(persons)
        for i, a in enumerate(ordered):
            for other in ordered[i + 1 :]:
                weight = graph.get_edge_data(a, other, {}).get("weight", 0.0)
                graph.add_edge(a, other, weight=weight + 1.0)
    if graph.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=1)
    communities = []
    for members in found:
        if len(members) < 2:
            continue
        inside = sorted(members)

        evidence = [
            e
            for tie, persons in by_node.items()
            if len(persons & members) >= 2
            for e in ties[tie]
            if _inside(e, members, seized)
        ]
        evidence += [
            e
            for e in edges
            if e.kind == "attributed_to" and e.source in members and e.target in members
        ]
        communities.append(Community(inside, _unique(evidence)))
    communities.sort(key=lambda c: (-len(c.persons), c.persons))
    return communities


def _inside(e: Edge, members: set[str], seized: dict[str, Edge]) -> bool:
    """The edge belongs to the community (an exhibit's item: by its owner)."""
    if e.kind == "holds_item":
        return seized[e.source].source in members
    return e.source in members or e.target in members


def _unique(edges: list[Edge]) -> list[Edge]:
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for e in edges:
        if (e.source, e.target, e.kind) not in seen:
            seen.add((e.source, e.target, e.kind))
            kept.append(e)
    return kept
