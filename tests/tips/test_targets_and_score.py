"""Grouping tips into targets, keeping target ids stable, and the score's factors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kavach.tips.identifiers import normalise
from kavach.tips.model import IdentifierKind as Kind
from kavach.tips.scoring import TargetFacts, explain, score
from kavach.tips.targets import assign_targets, connection_links, group_tips


def _key(kind: Kind, value: str, service: str | None = None) -> str:
    return normalise(kind, value, service).key()


def test_every_identifier_kind_joins_and_services_keep_accounts_apart() -> None:
    keys = {
        1: {_key(Kind.PHONE, "+91 98470 11111")},
        2: {_key(Kind.PHONE, "09847011111"), _key(Kind.EMAIL, "A@Example.IN")},
        3: {_key(Kind.EMAIL, "a@example.in")},
        4: {_key(Kind.ESP_USER_ID, "1001", "Chat")},
        5: {_key(Kind.ESP_USER_ID, "1001", "Mail")},  # another service: apart
        6: {_key(Kind.SCREEN_NAME, "@Raju", "chat")},
        7: {_key(Kind.SCREEN_NAME, "raju", "CHAT")},
        8: {_key(Kind.DEVICE_ID, "35693803564380")},  # check digit added
        9: {_key(Kind.DEVICE_ID, "IMEI:356938035643809")},
        10: set(),  # a tip with no identifier is a target of its own
    }
    assert group_tips(keys) == [[1, 2, 3], [4], [5], [6, 7], [8, 9], [10]]


def test_targets_keep_their_ids_as_groups_merge_and_split() -> None:
    merged = assign_targets([[1, 2, 3]], {1: 10, 2: 11, 3: None})
    assert merged == [10]  # the oldest target id survives a merge
    split = assign_targets([[1], [2, 3]], {1: 10, 2: 10, 3: 10})
    assert split == [None, 10]  # the larger part keeps the id


def test_a_shared_connection_links_but_never_joins() -> None:
    links = connection_links({1: {"ip 203.0.113.7"}, 2: {"ip 203.0.113.7"}, 3: set()})
    assert [(link.target_a, link.target_b, link.via) for link in links] == [
        (1, 2, "ip 203.0.113.7")
    ]


def test_the_score_is_the_sum_of_its_explained_factors() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    facts = TargetFacts(
        reports=3,
        files=4,
        files_on_lists=2,
        top_category="1",
        alert_files=2,
        newest=now - timedelta(days=10),
        high_priority=True,
        annotations={"sextortion"},
        prior_reports=1,
    )
    points, factors = score(facts, now)
    by_name = {f.factor: f for f in factors}
    assert by_name["reports"].points == 30
    assert by_name["files on hash lists"].value == "2 of 4, category 1"
    assert by_name["files on hash lists"].points == 30
    assert by_name["recency"].points == 20
    assert by_name["provider high priority"].points == 30
    assert by_name["signs of contact with a child"].value == "sextortion"
    assert by_name["prior reports"].points == 5 and by_name["prior record"].points == 0
    assert points == sum(f.points for f in factors) == 165
    assert explain(factors).startswith("reports 3 (+30); files on hash lists")
    stale = score(TargetFacts(reports=1, newest=now - timedelta(days=800)), now)
    assert {f.factor: f for f in stale[1]}["recency"].value == (
        "800 days (past ISP retention)"
    )


def test_an_enticement_report_is_a_sign_of_contact() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    facts = TargetFacts(
        reports=1, incident_types={"Online Enticement of Children for Sexual Acts"}
    )
    factors = {f.factor: f for f in score(facts, now)[1]}
    contact = factors["signs of contact with a child"]
    assert contact.points == 50 and "Enticement" in contact.value
