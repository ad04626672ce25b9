"""Running the real ``kavach`` command in a subprocess, as an examiner would."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Env:
    """The database and data folder a test's commands share."""

    database_url: str
    data_dir: Path

    def variables(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            KAVACH_DATABASE_URL=self.database_url,
            KAVACH_DATA_DIR=str(self.data_dir),
            KAVACH_USER="test-examiner",
            COLUMNS="200",
            NO_COLOR="1",
        )
        env.update(extra)
        return env


def kavach_command() -> list[str]:
    return [sys.executable, "-m", "kavach"]


def run_kavach(
    env: Env,
    *args: str | Path,
    check: bool = True,
    input: str | None = None,
    **extra: str,
) -> subprocess.CompletedProcess[str]:
    """``kavach ARGS``; ``input``, when given, is its standard input."""
    result = subprocess.run(
        [*kavach_command(), *map(str, args)],
        env=env.variables(**extra),
        input=input,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"kavach {args} exited {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


# Runs one command as its only child, so RUSAGE_CHILDREN is that command's own peak
# (its worker processes included); an address-space cap is `ulimit -v` for it alone.
_MEASURE = """
import resource, subprocess, sys
limit = int(sys.argv[1])
def cap():
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
code = subprocess.run(sys.argv[2:], preexec_fn=cap).returncode
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(f"\\npeak-rss-kib {peak}\\n")
sys.exit(code)
"""


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mib: float


def run_kavach_measured(
    env: Env,
    *args: str | Path,
    address_space: int = 0,
    timeout: float = 900,
    **extra: str,
) -> Measured:
    """``kavach ARGS`` with its peak memory, optionally under an address-space cap."""
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(address_space), *kavach_command()]
        + list(map(str, args)),
        env=env.variables(**extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    stderr, _, peak = result.stderr.rstrip().rpartition("peak-rss-kib ")
    return Measured(result.returncode, result.stdout, stderr, int(peak) / 1024)
