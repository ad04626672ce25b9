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
    env: Env, *args: str | Path, check: bool = True, **extra: str
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*kavach_command(), *map(str, args)],
        env=env.variables(**extra),
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
