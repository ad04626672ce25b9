"""The local worker pool: results in job order, and a pool that always ends.

A scan started from the web runs inside ``kavach serve``, whose SIGTERM handler
(uvicorn's) only sets a flag. Workers forked from it inherited that handler, so a
pool ending by ``terminate()`` could wait forever for a worker that would not die.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from kavach.evidence.examine import ExamineConfig
from kavach.evidence.executors import (
    BATCH_BYTES,
    BATCH_JOBS,
    InlineExecutor,
    Job,
    ProcessExecutor,
    batched,
)
from kavach.evidence.inventory import ScanItem, inventory
from kavach.evidence.refs import PathSpec
from kavach.evidence.scan_settings import ScanSettings
from kavach.evidence.sources import default_sources
from kavach.evidence.sources.interface import Entry


def _tree(root: Path, files: int) -> None:
    for n in range(files):
        folder = root / f"d{n % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{n:03d}.bin").write_bytes(os.urandom(64 + n))


def _config(root: Path) -> ExamineConfig:
    settings = ScanSettings()
    return ExamineConfig(
        os.fsencode(root),
        settings.limits,
        (),
        settings.pdq_policy(),
        settings.video_policy(),
    )


def test_workers_give_the_inline_results_in_job_order(tmp_path: Path) -> None:
    _tree(tmp_path, 40)
    items = list(inventory(os.fsencode(tmp_path), default_sources()))
    jobs = [(0, item) for item in items]
    config = _config(tmp_path)
    # The walk keeps each file's size, which the batching reads.
    assert [i.entry.size for i in items] == [
        (tmp_path / i.entry.spec.display()).stat().st_size for i in items
    ]

    inline = list(InlineExecutor().run([config], jobs))
    pooled = list(ProcessExecutor(2).run([config], jobs))

    assert [job[1].seq for job, _ in pooled] == [item.seq for item in items]
    assert [[f.sha256 for f in r.files] for _, r in pooled] == [
        [f.sha256 for f in r.files] for _, r in inline
    ]
    assert len({f.sha256 for _, r in pooled for f in r.files}) == 40


POOL_UNDER_A_FLAG_HANDLER = textwrap.dedent(
    """
    import multiprocessing, os, signal, sys
    from pathlib import Path
    from kavach.evidence.executors import ProcessExecutor, _init_pool
    from kavach.evidence.inventory import inventory
    from kavach.evidence.sources import default_sources
    from tests.evidence.test_executors import _config

    flagged = []
    signal.signal(signal.SIGTERM, lambda *_: flagged.append(1))  # as uvicorn's
    root = Path(sys.argv[1])
    items = list(inventory(os.fsencode(root), default_sources()))
    for attempt in range(int(sys.argv[2])):
        done = list(ProcessExecutor(2).run([_config(root)], [(0, i) for i in items]))
        assert len(done) == len(items)
        assert not multiprocessing.active_children(), attempt
    pool = multiprocessing.get_context("fork").Pool(1, _init_pool, ((), os.getpid()))
    assert pool.apply(signal.getsignal, (signal.SIGTERM,)) == signal.SIG_DFL
    pool.terminate()
    pool.join()
    print("ended", attempt + 1)
    """
)


def test_a_pool_ends_in_a_server_whose_sigterm_handler_only_sets_a_flag(
    tmp_path: Path,
) -> None:
    _tree(tmp_path, 12)
    repo = Path(__file__).resolve().parents[2]
    ran = subprocess.run(
        [sys.executable, "-c", POOL_UNDER_A_FLAG_HANDLER, str(tmp_path), "25"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert "ended 25" in ran.stdout


def _jobs(*sizes: int | None) -> list[Job]:
    return [
        (0, ScanItem(n, Entry(PathSpec.file(b"f%d" % n), "folder", size=size)))
        for n, size in enumerate(sizes)
    ]


def _sizes(batches: list[list[Job]]) -> list[list[int | None]]:
    return [[job[1].entry.size for job in batch] for batch in batches]


def test_small_files_go_to_a_worker_many_at_a_time_and_large_ones_alone() -> None:
    jobs = _jobs(*([4096] * 20_000))
    batches = batched(jobs, 2)
    assert [j for batch in batches for j in batch] == jobs  # in order, all of them
    assert {len(b) for b in batches[:-1]} == {BATCH_JOBS}

    big, unknown = BATCH_BYTES, None
    mixed = _jobs(*([4096] * 40), big, 4096, unknown, *([200_000] * 60), *[1] * 2000)
    assert _sizes(batched(mixed, 2))[:5] == [
        [4096] * 40,
        [big],
        [4096],
        [unknown],
        [200_000] * 41,  # 8 MiB of them, not more
    ]
    # A few jobs: one each, so every worker gets some to the end.
    assert _sizes(batched(_jobs(10, 10, 10, 10), 2)) == [[10], [10], [10], [10]]
