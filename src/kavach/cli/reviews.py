"""What ``kavach hits review``, ``kavach files review`` and ``kavach phone
review-media`` print alike: one decision, and a history of decisions (table or
JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Protocol

import typer
from rich.markup import escape

from kavach.cli.context import out
from kavach.vocabulary import AgeBand, Review


class Decided(Protocol):
    """A hit's, a file's or a known media record's review: the fields all share."""

    @property
    def decision(self) -> Review: ...
    @property
    def note(self) -> str | None: ...
    @property
    def by(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...
    @property
    def age_band(self) -> AgeBand | None: ...
    @property
    def self_produced(self) -> bool | None: ...
    @property
    def at(self) -> datetime | None: ...


class Decision(Decided, Protocol):
    """A review of a hit or a file, which belong to a scan run."""

    @property
    def scan_id(self) -> str: ...


# The options every review command takes alike.
NoteOption = Annotated[str | None, typer.Option(help="Why, for the record.")]
AgeBandOption = Annotated[
    AgeBand | None,
    typer.Option("--age-band", help="0-5, 6-10, 11-15, 16-17, adult, unknown."),
]
SelfProducedOption = Annotated[
    bool | None,
    typer.Option("--self-produced/--not-self-produced", help="As it appears."),
]


def decided_as(review: Decided) -> str:
    """The category and age band a decision gave, for one line ('' if neither)."""
    return ", ".join(
        p
        for p in (
            review.category and f"category {review.category}",
            review.age_band and f"age band {review.age_band.value}",
        )
        if p
    )


def print_decision(kind: str, number: int, review: Decision) -> None:
    shown = decided_as(review)
    out.print(
        f"{kind} {number} of scan run {review.scan_id}: {review.decision}"
        + (f" ({shown})" if shown else "")
    )


def print_history(
    kind: str, number: int, reviews: Sequence[Decided], format: str
) -> None:
    """Every decision, oldest first: who, when, what and why."""
    rows = [
        {
            "decision": r.decision.value,
            "category": r.category,
            "age_band": r.age_band.value if r.age_band else None,
            "self_produced": r.self_produced,
            "note": r.note,
            "by": r.by,
            "at": r.at.isoformat() if r.at else None,
        }
        for r in reviews
    ]
    if format == "json":
        print(json.dumps(rows, indent=1))
        return
    if not rows:
        out.print(f"no decision on {kind} {number} yet")
    for row in rows:
        out.print(
            f"{row['at']}  {row['by']}: {row['decision']}"
            + (f", category {row['category']}" if row["category"] else "")
            + (f", age band {row['age_band']}" if row["age_band"] else "")
            + (f" — {escape(str(row['note']))}" if row["note"] else ""),
            highlight=False,
        )
