"""All the index files of one list version, opened together."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from kavach.errors import StorageError
from kavach.matching.exact_index import ExactIndex
from kavach.matching.pdq_index import PdqIndex
from kavach.vocabulary import EXACT_ALGORITHMS, Algorithm, Role, Status

# Bumped whenever the files' layout changes; older folders must be re-imported.
INDEX_FORMAT = 2
STATUS_CODES = {
    Status.ALERT: 0,
    Status.REVIEW: 1,
    Status.IGNORABLE: 2,
    Status.UNKNOWN: 3,
}
IGNORABLE = STATUS_CODES[Status.IGNORABLE]


def write_statuses(directory: Path, codes: npt.NDArray[np.uint8]) -> None:
    """Entry statuses, and the marker saying which index layout the folder holds."""
    np.save(directory / "statuses.npy", codes)
    (directory / "index.json").write_text(json.dumps({"format": INDEX_FORMAT}))


class StaleIndexError(StorageError):
    """An index folder written by an older Kavach (re-import the list)."""


@dataclass
class ListIndex:
    """A list version's exact and PDQ indexes, role, threshold and entry statuses."""

    version_id: int
    name: str
    role: Role
    pdq_threshold: int
    exact: dict[Algorithm, ExactIndex]
    pdq: PdqIndex | None
    statuses: npt.NDArray[np.uint8]
    vpdq: PdqIndex | None = None  # video frames, each under its video's entry number

    @classmethod
    def open(
        cls, directory: Path, version_id: int, name: str, role: Role, pdq_threshold: int
    ) -> ListIndex:
        marker = directory / "index.json"
        found = json.loads(marker.read_text()).get("format") if marker.exists() else 1
        if found != INDEX_FORMAT:
            raise StaleIndexError(
                f"index of list {name!r} has layout {found}, this Kavach reads "
                f"{INDEX_FORMAT}: import the list again"
            )
        exact = {
            alg: idx
            for alg in EXACT_ALGORITHMS
            if (idx := ExactIndex.open(directory, alg)) is not None
        }
        return cls(
            version_id,
            name,
            role,
            pdq_threshold,
            exact,
            PdqIndex.open(directory),
            np.load(directory / "statuses.npy", mmap_mode="r"),
            PdqIndex.open(directory, prefix="vpdq"),
        )

    def alerts_on(self, seq: int) -> bool:
        """Whether a match on entry ``seq`` is a hit (on known lists: flagged ones)."""
        if self.role is not Role.KNOWN:
            return True
        return int(self.statuses[seq]) != IGNORABLE

    def is_known(self, digests: dict[Algorithm, bytes]) -> bool:
        """True when a known list holds one of ``digests`` as an ordinary file."""
        if self.role is not Role.KNOWN:
            return False
        for algorithm, index in self.exact.items():
            value = digests.get(algorithm)
            if value is None:
                continue
            for seq in index.lookup([value])[0]:
                if int(self.statuses[seq]) == IGNORABLE:
                    return True
        return False
