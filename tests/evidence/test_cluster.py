"""Distributed scans on Dask give the same results as local ones."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kavach.bootstrap import Kavach
from kavach.demo.exhibit import DemoSet, build_demo
from kavach.evidence.cluster import DaskExecutor
from tests.helpers.cli import Env, run_kavach
from tests.helpers.scanning import import_demo_lists, output_rows, scan

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSet:
    return build_demo(tmp_path_factory.mktemp("demo"))


def test_local_cluster_scan_equals_local_scan(
    sqlite_app: Kavach, demo: DemoSet, tmp_path: Path
) -> None:
    import_demo_lists(sqlite_app, demo)
    scan(sqlite_app, demo.exhibit, tmp_path / "local", workers=2)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        scans = sqlite_app.services.scans
        scan_id = scans.start(demo.exhibit, "examiner")
        scans.run(
            [scan_id],
            batch_files=5,
            executor=DaskExecutor(cluster.scheduler_address),
        )
    scans.write_outputs(scan_id, tmp_path / "dask", "examiner")
    for name in ("hits.csv", "files.csv", "warnings.csv"):
        assert output_rows(tmp_path / "dask" / name) == output_rows(
            tmp_path / "local" / name
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _dask(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:]],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for_workers(address: str, count: int) -> None:
    """Block until ``count`` workers have joined (the scheduler tells us)."""
    with distributed.Client(address, timeout=60) as client:
        client.wait_for_workers(count, timeout=90)


@pytest.mark.slow
def test_real_scheduler_and_worker_on_loopback(
    sqlite_env: Env, demo: DemoSet, tmp_path: Path
) -> None:
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _dask(
        "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"
    )
    worker = _dask(
        "worker",
        address,
        "--nworkers",
        "2",
        "--nthreads",
        "1",
        "--no-dashboard",
        "--host",
        "127.0.0.1",
    )
    try:
        _wait_for_workers(address, 2)
        for name, path in demo.lists:
            run_kavach(sqlite_env, "hashset", "import", path, "--name", name)
        other = demo.exhibit.parent / "second-exhibit"
        if not other.exists():
            (other / "dcim").mkdir(parents=True)
            (other / "dcim" / "copy.jpg").write_bytes(
                (demo.exhibit / "DCIM/Camera/IMG_0001.jpg").read_bytes()
            )
        result = run_kavach(
            sqlite_env,
            "scan",
            demo.exhibit,
            other,
            "--cluster",
            address,
            "--out",
            tmp_path / "dask",
        )
        assert result.stdout.count(" started") == 2
        run_kavach(sqlite_env, "scan", demo.exhibit, "--out", tmp_path / "local")
    finally:
        worker.terminate()
        scheduler.terminate()
        worker.wait(30)
        scheduler.wait(30)
    local = output_rows(tmp_path / "local" / "hits.csv")
    assert output_rows(tmp_path / "dask" / "exhibit" / "hits.csv") == local
    second = (tmp_path / "dask" / "second-exhibit" / "hits.csv").read_text()
    row = second.splitlines()[1]
    assert (
        row.startswith("dcim/copy.jpg,") and ",exact,sha1,0,projectvic-partner," in row
    )
