"""A target's priority score, with the explanation an analyst can check.

Each factor contributes points for what the target's tips show; the explanation
lists every factor with its value and points, so a score is never a bare number.
The weights are a starting point a unit tunes: what matters is that they are
visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

# Annotations that point at contact with a child, not only possession.
CONTACT_ANNOTATIONS = frozenset(
    {
        "sextortion",
        "csamsolicitation",
        "minortominorinteraction",
        "enticement",
        "childsextrafficking",
        "onlineenticement",
    }
)
# Words in a CyberTipline incident type that say contact, not only possession
# ("Online Enticement of Children for Sexual Acts", "Child Sex Trafficking").
CONTACT_INCIDENTS = ("enticement", "trafficking", "sextortion", "molestation")
RECENT = timedelta(days=90)
STALE = timedelta(days=730)  # past the ISPs' retention: subscriber data likely gone


@dataclass(slots=True)
class TargetFacts:
    """What the score is computed from; gathered by the tips service."""

    reports: int
    files: int = 0
    files_on_lists: int = 0
    top_category: str | None = None  # e.g. "1" / "A1" of the best listed file
    alert_files: int = 0  # files on a list whose status is alert
    newest: datetime | None = None
    high_priority: bool = False
    annotations: set[str] = field(default_factory=set)
    access_to_children: bool = False
    prior_reports: int = 0
    prior_record: bool = False  # a person of the directory with an earlier case
    incident_types: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Factor:
    factor: str
    value: str
    points: int

    def as_dict(self) -> dict[str, object]:
        return {"factor": self.factor, "value": self.value, "points": self.points}


def score(facts: TargetFacts, now: datetime) -> tuple[int, list[Factor]]:
    """The score (sum of the factors' points) and the factors themselves."""
    factors = [
        Factor("reports", str(facts.reports), min(facts.reports, 10) * 10),
        _listed(facts),
        _recency(facts.newest, now),
        Factor(
            "provider high priority",
            "yes" if facts.high_priority else "no",
            30 if facts.high_priority else 0,
        ),
        _contact(facts),
        Factor(
            "prior reports", str(facts.prior_reports), min(facts.prior_reports, 5) * 5
        ),
        Factor(
            "prior record",
            "yes" if facts.prior_record else "no",
            40 if facts.prior_record else 0,
        ),
    ]
    return sum(f.points for f in factors), factors


def _listed(facts: TargetFacts) -> Factor:
    if not facts.files_on_lists:
        return Factor("files on hash lists", f"0 of {facts.files}", 0)
    points = 20 + min(facts.alert_files, 10) * 5
    value = f"{facts.files_on_lists} of {facts.files}"
    if facts.top_category:
        value += f", category {facts.top_category}"
    return Factor("files on hash lists", value, points)


def _recency(newest: datetime | None, now: datetime) -> Factor:
    if newest is None:
        return Factor("recency", "no date", 0)
    age = now - newest
    days = max(age.days, 0)
    if age <= RECENT:
        return Factor("recency", f"{days} days", 20)
    if age <= STALE:
        return Factor("recency", f"{days} days", 10)
    return Factor("recency", f"{days} days (past ISP retention)", 0)


def _contact(facts: TargetFacts) -> Factor:
    signs = sorted(a for a in facts.annotations if a.lower() in CONTACT_ANNOTATIONS)
    signs += sorted(
        f"incident: {kind}"
        for kind in facts.incident_types
        if any(word in kind.lower() for word in CONTACT_INCIDENTS)
    )
    if facts.access_to_children:
        signs.append("access to children")
    if not signs:
        return Factor("signs of contact with a child", "none", 0)
    return Factor("signs of contact with a child", ", ".join(signs), 50)


def explain(factors: list[Factor]) -> str:
    """One line: ``reports 3 (+30); files on hash lists 2 of 3, category 1 (+30)...``"""
    return "; ".join(f"{f.factor} {f.value} (+{f.points})" for f in factors if f.points)
