"""Pairwise precision, recall and F1 of a clustering against true labels."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PairScores:
    """Counts of record pairs: put together and truly one person, and the ratios."""

    true_positive: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.actual if self.actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(sizes: Counter[Any]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def pair_scores(clusters: Mapping[str, str], truth: Mapping[str, str]) -> PairScores:
    """Compare two labellings of the same record ids by the pairs each implies."""
    missing = truth.keys() - clusters.keys()
    if missing:
        raise ValueError(f"{len(missing)} labelled records have no cluster")
    both = Counter((truth[r], clusters[r]) for r in truth)
    return PairScores(
        true_positive=_pairs(both),
        predicted=_pairs(Counter(clusters[r] for r in truth)),
        actual=_pairs(Counter(truth.values())),
    )
