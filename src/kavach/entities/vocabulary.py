"""The directory's fixed words: what a run did, what an analyst decided."""

from __future__ import annotations

from enum import StrEnum


class RunMode(StrEnum):
    FULL = "full"  # every record scored again; ids kept by majority
    INCREMENTAL = "incremental"  # only records not yet filed are scored
    DECISION = "decision"  # an analyst's decision regrouped the persons it touched


class DecisionKind(StrEnum):
    TOGETHER = "together"  # confirmed one person (or two persons merged)
    APART = "apart"  # never these two (or a record split off)


class LinkState(StrEnum):
    LINKED = "linked"  # followed: the two records are one person
    REFUSED = "refused"  # not followed: an analyst said "never" on the way
    SUGGESTED = "suggested"  # would fuse two filed persons: the analyst decides
