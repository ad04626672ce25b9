"""Resolve any CSV of person records (or link two): ``kavach persons dedupe``.

Stateless on purpose: it reads files and writes files and never touches the
database or the directory of persons, so it needs no account and leaves no audit
entry — an analyst can evaluate the model on other data without filing it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kavach.entities.linkage import DEFAULT_THRESHOLD
from kavach.errors import InputError

if TYPE_CHECKING:
    from kavach.entities.linkage import Record

Stage = Callable[[str], None]


@dataclass(frozen=True)
class DedupeRequest:
    input: Path
    id_column: str
    roles: Mapping[str, tuple[str, ...]]
    out: Path
    link: Path | None = None
    pairs: Path | None = None
    threshold: float = DEFAULT_THRESHOLD
    reference_year: int | None = None


@dataclass(frozen=True)
class DedupeSummary:
    records: int
    clusters: int
    persons_recurring: int
    links: int
    by_identifier: int
    pairs_scored: int
    shared_phones: int


def dedupe(request: DedupeRequest, stage: Stage = lambda _: None) -> DedupeSummary:
    """Read, resolve, write: clusters to ``out``, the links to ``pairs`` if asked."""
    from kavach.entities.linkage import resolve
    from kavach.entities.person_csv import read_records, write_clusters, write_links

    if not 0.0 < request.threshold < 1.0:
        raise InputError(f"--threshold {request.threshold}: must lie between 0 and 1")
    for option, path in (("--out", request.out), ("--pairs", request.pairs)):
        if path is not None and not path.parent.is_dir():
            raise InputError(f"{option} {path}: no folder {path.parent} to write into")
    stage(f"reading {request.input}")
    records = read_records(request.input, request.id_column, request.roles, "a")
    if request.link is not None:
        stage(f"reading {request.link}")
        other = read_records(request.link, request.id_column, request.roles, "b")
        _refuse_shared_ids(records, other, request)
        records += other
    stage(f"resolving {len(records):,} records (training, then scoring pairs)")
    resolution = resolve(
        records,
        reference_year=request.reference_year or date.today().year,
        threshold=request.threshold,
        link_only=request.link is not None,
    )
    stage(f"writing {request.out}")
    with request.out.open("w", encoding="utf-8", newline="") as out:
        write_clusters(out, records, resolution)
    if request.pairs is not None:
        with request.pairs.open("w", encoding="utf-8", newline="") as out:
            write_links(out, resolution.links)
    sizes = Counter(resolution.clusters.values())
    return DedupeSummary(
        records=len(records),
        clusters=len(sizes),
        persons_recurring=sum(1 for n in sizes.values() if n > 1),
        links=len(resolution.links),
        by_identifier=sum(1 for link in resolution.links if link.deterministic),
        pairs_scored=resolution.pairs_scored,
        shared_phones=resolution.shared_phones,
    )


def _refuse_shared_ids(
    a: list[Record], b: list[Record], request: DedupeRequest
) -> None:
    both = {r.record_id for r in a} & {r.record_id for r in b}
    if both:
        example = sorted(both)[0]
        raise InputError(
            f"{request.link}: {len(both):,} ids are also ids in {request.input} "
            f"(such as {example!r}); the output names records by id alone, so "
            "give the two files distinct ids"
        )
