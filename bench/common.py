"""Shared helpers of the benchmarks: synthetic photos, timing, result lines."""

from __future__ import annotations

import io
import os
import platform
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import numpy as np
from PIL import Image

from kavach.demo.draw import draw_picture

T = TypeVar("T")
WORK = Path(os.environ.get("KAVACH_BENCH_DIR", "/tmp/kavach-bench"))


def photo_jpeg(
    seed: int, size: tuple[int, int], noise: float = 6.0, quality: int = 90
) -> bytes:
    """A benign synthetic 'photo': drawn shapes, upscaled, with sensor-like noise."""
    small = draw_picture(seed, (max(size[0] // 4, 8), max(size[1] // 4, 8)))
    image = small.resize(size, Image.BICUBIC)
    rng = np.random.default_rng(seed)
    pixels = np.asarray(image).astype(np.int16)
    pixels += rng.normal(0, noise, pixels.shape).astype(np.int16)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(
        buffer, "JPEG", quality=quality
    )
    return buffer.getvalue()


@contextmanager
def timed() -> Iterator[list[float]]:
    """``with timed() as t: ...`` then ``t[0]`` holds the seconds taken."""
    box: list[float] = []
    start = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - start)


def median_of(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    """Median seconds of ``runs`` calls of ``work``, and the last result."""
    times = []
    result: T
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def machine() -> str:
    return (
        f"{platform.node()} {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def header(title: str) -> None:
    print(f"\n== {title} ==\n{machine()}")


def row(label: str, value: str) -> None:
    print(f"  {label:<48} {value}")


def hashdeep_seconds(root: Path, runs: int = 3) -> float | None:
    """Median seconds of ``hashdeep -r -c md5,sha1,sha256 root``; None if absent."""
    if shutil.which("hashdeep") is None:
        return None
    command = ["hashdeep", "-r", "-c", "md5,sha1,sha256", str(root)]
    seconds, _ = median_of(
        runs, lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    )
    return seconds


def fresh_postgres(admin: str, name: str) -> str:
    """The URL of database ``name``, dropped and created again through ``admin``."""
    from sqlalchemy import create_engine, text

    engine = create_engine(
        admin.replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return admin.rsplit("/", 1)[0] + f"/{name}"
