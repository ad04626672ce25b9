"""The network's rules on hand-made profiles: what ties persons, and how strongly."""

from __future__ import annotations

from kavach.entities.network import Attribution, Contact, GroupSeen, ItemHit, build
from kavach.entities.profile import Membership, Profile


def _profile(pid: int, name: str, phone: str | None = None) -> Profile:
    p = Profile(pid, [f"person:{pid}"], names=[(name, f"person:{pid}")])
    if phone:
        p.identifiers.append(("phone", phone, f"person:{pid}"))
    return p


def _community(network: object, person: int) -> set[str]:
    for c in network.communities:  # type: ignore[attr-defined]
        if f"person:{person}" in c.persons:
            return set(c.persons)
    return set()


def test_groups_items_numbers_and_lines_tie_persons_with_evidence() -> None:
    a, b, c = (
        _profile(1, "Anil", "+911"),
        _profile(2, "Binu", "+912"),
        _profile(3, "Cyril"),
    )
    d, e = _profile(4, "Dev", "+914"), _profile(5, "Eapen")
    f, g = _profile(6, "Faisal"), _profile(7, "Gopi")
    a.groups.append(
        Membership("whatsapp", "G1@g.us", "Ring", "creator", "owner:1", "PH-1")
    )
    seen = [GroupSeen("whatsapp", "G1@g.us", "Ring", "+912", "member", "PH-1")]
    items = [
        ItemHit(3, "PH-3", "sha256:ab", "hit on PH-3: list L, category A"),
        ItemHit(4, "PH-4", "sha256:ab", "hit on PH-4: list L, category A"),
        ItemHit(5, "PH-5", "sha256:cd", "a listed file no one else has"),
    ]
    lines = [Attribution(6, 7, "tip 9: 203.0.113.9 on the subscriber's line")]
    book = [
        Contact(5, "+919", "Bhai", "PH-5"),
        Contact(6, "+919", None, "PH-6"),
    ]
    network = build([a, b, c, d, e, f, g], seen, items, lines, book)
    assert _community(network, 1) == {"person:1", "person:2"}  # one group
    assert _community(network, 3) == {"person:3", "person:4"}  # one listed item
    # a number both saved (no one holds it) and the ISP's line tie 5, 6 and 7
    assert _community(network, 5) == {"person:5", "person:6", "person:7"}
    member = [x for x in network.edges if x.kind == "member_of"]
    assert {x.source for x in member} == {"person:1", "person:2"}
    assert any("own account on PH-1" in ev for x in member for ev in x.evidence)
    assert "item:sha256:cd" not in network.nodes  # on one exhibit: ties no one
    (shared,) = [c for c in network.communities if "person:3" in c.persons]
    kinds = {t.kind for t in shared.ties}
    assert kinds == {"seized_from", "holds_item"}  # the hit itself is evidence
    for community in network.communities:
        assert community.ties and all(t.evidence for t in community.ties)


def test_nobody_tied_means_no_community() -> None:
    network = build([_profile(1, "Anil", "+911"), _profile(2, "Binu", "+912")])
    assert network.communities == [] and network.edges == []
