"""Building a list version's index folder while its entries stream past.

The import service (``services/hashsets.py``) hands one of these to the importer,
which only knows the ``IndexBuilder`` port of ``hashsets/ports.py``: the list side
never needs to know how indexes are laid out.
"""

from __future__ import annotations

import shutil
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from kavach.matching.exact_index import ExactIndex
from kavach.matching.list_index import STATUS_CODES, write_statuses
from kavach.matching.pdq_index import PdqIndex
from kavach.vocabulary import EXACT_ALGORITHMS, Algorithm, Status

# Digests are buffered in memory up to this many bytes in all, then appended to spool
# files, so a national list of tens of millions of entries does not sit in RAM.
SPILL_BYTES = 8 * 1024 * 1024
BUCKETS = 256  # exact digests are spooled by their first byte


class _Spool:
    """Raw digests and entry numbers of one algorithm, in buckets by first byte.

    Buckets are in key order between them, so the exact index sorts one bucket at a
    time (``ExactIndex.build_in_parts``); PDQ uses one bucket (its index is built
    over the whole set at once).
    """

    def __init__(self, folder: Path | None, name: str, buckets: int) -> None:
        self._folder = folder
        self._name = name
        self._keys = [bytearray() for _ in range(buckets)]
        self._seqs = [array("q") for _ in range(buckets)]
        self._buffered = 0
        self.count = 0

    def add(self, key: bytes, seq: int) -> None:
        bucket = key[0] if len(self._keys) > 1 else 0
        self._keys[bucket] += key
        self._seqs[bucket].append(seq)
        self.count += 1
        self._buffered += len(key) + 8
        if self._folder is not None and self._buffered >= SPILL_BYTES:
            self._spill()

    def _files(self, bucket: int) -> tuple[Path, Path]:
        assert self._folder is not None
        stem = f"{self._name}.{bucket:03d}"
        return self._folder / f"{stem}.keys", self._folder / f"{stem}.seqs"

    def _spill(self) -> None:
        for bucket, keys in enumerate(self._keys):
            if not keys:
                continue
            keys_path, seqs_path = self._files(bucket)
            with keys_path.open("ab") as handle:
                handle.write(keys)
            with seqs_path.open("ab") as handle:
                self._seqs[bucket].tofile(handle)
            self._keys[bucket] = bytearray()
            self._seqs[bucket] = array("q")
        self._buffered = 0

    def parts(self) -> Iterator[tuple[bytes | bytearray, npt.NDArray[np.int64]]]:
        """Each bucket's keys and entry numbers, in bucket order, one at a time."""
        if self._folder is None:
            for keys, seqs in zip(self._keys, self._seqs, strict=True):
                if keys:
                    yield keys, np.frombuffer(seqs, dtype=np.int64)
            return
        self._spill()
        for bucket in range(len(self._keys)):
            keys_path, seqs_path = self._files(bucket)
            if keys_path.exists():
                yield keys_path.read_bytes(), np.fromfile(seqs_path, dtype=np.int64)
                keys_path.unlink()
                seqs_path.unlink()

    def collect(self) -> tuple[bytes | bytearray, npt.NDArray[np.int64]]:
        """Everything in one piece (a one-bucket spool: PDQ's index needs it all)."""
        assert len(self._keys) == 1
        return next(self.parts(), (b"", np.zeros(0, dtype=np.int64)))


class ListIndexBuilder:
    """Collects digests compactly, spilling them to ``spool`` (a folder) when given.

    Memory while a list streams in is a few MB whatever its size; writing an exact
    index holds one bucket (1/256 of one algorithm's digests) at a time. PDQ
    indexes are built over all of a list's PDQ hashes at once.
    """

    def __init__(self, min_quality: int, spool: Path | None = None) -> None:
        self._min_quality = min_quality
        self._spool_dir = (
            Path(tempfile.mkdtemp(prefix=".spool-", dir=spool)) if spool else None
        )
        self._spools = {
            alg: _Spool(
                self._spool_dir, alg.value, BUCKETS if alg in EXACT_ALGORITHMS else 1
            )
            for alg in (*EXACT_ALGORITHMS, Algorithm.PDQ, Algorithm.VPDQ)
        }
        self._statuses = bytearray()

    def add(
        self,
        seq: int,
        digests: dict[Algorithm, str],
        frames: Sequence[tuple[str, int, float]] | None,
        status: Status,
    ) -> None:
        """Entry ``seq`` (numbered from 0 in list order) with its digests."""
        self._statuses.append(STATUS_CODES[status])
        for algorithm, value in digests.items():
            self._spools[algorithm].add(bytes.fromhex(value), seq)
        # A video's frames: each distinct usable hash once, under the video's number.
        usable = {
            pdq for pdq, quality, _ in frames or () if quality >= self._min_quality
        }
        for pdq in sorted(usable):
            self._spools[Algorithm.VPDQ].add(bytes.fromhex(pdq), seq)

    def write(self, directory: Path) -> None:
        try:
            self._write(directory)
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the spool (after writing, or when the import failed)."""
        if self._spool_dir is not None:
            shutil.rmtree(self._spool_dir, ignore_errors=True)

    def _write(self, directory: Path) -> None:
        directory.mkdir(parents=True)
        statuses = np.frombuffer(bytes(self._statuses), dtype=np.uint8)
        write_statuses(directory, statuses)
        for algorithm in EXACT_ALGORITHMS:
            if self._spools[algorithm].count:
                parts = self._spools[algorithm].parts()
                ExactIndex.build_in_parts(directory, algorithm, parts)
        for algorithm in (Algorithm.PDQ, Algorithm.VPDQ):
            if self._spools[algorithm].count:
                keys, seqs = self._spools[algorithm].collect()
                PdqIndex.build(directory, keys, seqs, prefix=algorithm.value)
                del keys, seqs
