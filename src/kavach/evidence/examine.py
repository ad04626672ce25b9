"""Examining one scan item: hash it, type it, PDQ its pictures, open what it holds.

This runs in worker processes and never touches the database: it returns plain
records and warnings for the writer. One item may expand into many records (an
archive's members, pictures carved from unallocated space); they share the item's
``seq`` so a resumed scan commits or skips them together. Which container is which
is the sources' business (``sources/``); this module only walks what they list.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

from kavach.evidence.capture import (
    CaptureError,
    CaptureInfo,
    picture_capture,
    video_capture,
)
from kavach.evidence.filetype import sniff
from kavach.evidence.hashing import CHUNK, Digests, hash_stream
from kavach.evidence.inventory import ScanItem
from kavach.evidence.keys import NO_KEYS, KeyRing
from kavach.evidence.limits import (
    BombError,
    BudgetReader,
    ExpansionBudget,
    Limits,
    TreeBudget,
)
from kavach.evidence.records import FileResult, ItemResult
from kavach.evidence.refs import Layer, PathSpec
from kavach.evidence.sources import (
    Container,
    Entry,
    EvidenceSource,
    Probe,
    default_sources,
)
from kavach.evidence.sources.archive import SPOOL_MEMORY
from kavach.evidence.sources.disk import SOURCE as DISK_SOURCE
from kavach.evidence.sources.disk_image import DiskImageSource
from kavach.evidence.sources.interface import SourceError
from kavach.matching.list_index import ListIndex
from kavach.matching.pdq_matcher import PdqMatcher, PdqPolicy
from kavach.matching.video_matcher import VideoMatcher, VideoPolicy
from kavach.perceptual.pdq import ImageDecodeError
from kavach.perceptual.vpdq import VideoDecodeError
from kavach.vocabulary import Algorithm, Role, WarningStage

Opener = Callable[[], BinaryIO]


def place_label(lat: float, lon: float) -> str | None:
    """The district (Kerala), state (India) or country a GPS point lies in."""
    from kavach.geo.boundaries import Boundaries  # shapely: loaded when needed

    try:
        found = Boundaries.packaged().place(lat, lon)
    except ValueError:
        return None
    return None if found is None else found.label()


@dataclass(frozen=True)
class ListRef:
    """Where a list version's index lies (each worker opens it itself, read-only)."""

    directory: str
    version_id: int
    name: str
    role: Role
    pdq_threshold: int


@dataclass(frozen=True)
class ExamineConfig:
    root: bytes
    limits: Limits
    lists: tuple[ListRef, ...] = ()
    pdq: PdqPolicy = field(default_factory=PdqPolicy)
    video: VideoPolicy = field(default_factory=VideoPolicy)
    keys: KeyRing = NO_KEYS  # for encrypted volumes: in memory, never stored


class _KeptOpen:
    """A spooled member lent to a decoder: closing it must not discard the spool."""

    def __init__(self, file: Any) -> None:
        self._file = file
        file.seek(0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)

    def __enter__(self) -> _KeptOpen:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def close(self) -> None:
        return None


class Examiner:
    """Examines scan items; one per worker process."""

    def __init__(self, config: ExamineConfig) -> None:
        self._config = config
        lists = [
            ListIndex.open(
                Path(ref.directory),
                ref.version_id,
                ref.name,
                ref.role,
                ref.pdq_threshold,
            )
            for ref in config.lists
        ]
        self._known = [index for index in lists if index.role is Role.KNOWN]
        # The scan's lists are fixed when it starts, so a resumed run decides alike.
        self._sha512 = any(Algorithm.SHA512 in index.exact for index in lists)
        # Per process: sources cache open images (and unlocked volumes).
        self._sources = default_sources(config.keys)
        self._pdq_matcher = PdqMatcher(lists, config.pdq)
        self._video_matcher = VideoMatcher(lists, config.video)

    def examine(self, item: ScanItem) -> ItemResult:
        started = time.perf_counter()
        result = self._examine(item)
        result.seconds = time.perf_counter() - started
        return result

    def _examine(self, item: ScanItem) -> ItemResult:
        entry = item.entry
        result = ItemResult(item.seq)
        if entry.problem is not None:
            result.warn(entry.spec, entry.stage, entry.problem)
            return result
        _check_name(result, entry.spec)
        try:
            source = self._sources.get(entry.source)
            if entry.expand:
                for found in source.expand(entry):
                    self._examine_entry(result, source, found)
            else:
                self._examine_entry(result, source, entry)
        except Exception as exc:  # last resort: one odd file must not stop a scan
            result.warn(
                entry.spec, WarningStage.INTERNAL, f"{type(exc).__name__}: {exc}"
            )
        return result

    def _examine_entry(
        self, result: ItemResult, source: EvidenceSource, entry: Entry
    ) -> None:
        """A planned entry: opened again whenever it is read (by path or inode)."""

        def opener() -> BinaryIO:
            return source.open(entry)

        try:
            with opener() as handle:
                digests, head = hash_stream(handle, sha512=self._sha512)
        except OSError as exc:
            result.warn(entry.spec, WarningStage.READ, source.read_problem(entry, exc))
            return
        self._analyse(result, entry, 0, digests, head, opener, None)

    def _is_known(self, digests: Digests) -> bool:
        raw = {
            Algorithm.MD5: bytes.fromhex(digests.md5),
            Algorithm.SHA1: bytes.fromhex(digests.sha1),
            Algorithm.SHA256: bytes.fromhex(digests.sha256),
        }
        if digests.sha512 is not None:
            raw[Algorithm.SHA512] = bytes.fromhex(digests.sha512)
        return any(index.is_known(raw) for index in self._known)

    def _analyse(
        self,
        result: ItemResult,
        entry: Entry,
        depth: int,
        digests: Digests,
        head: bytes,
        opener: Opener,
        tree: TreeBudget | None,
    ) -> None:
        """Record one file; hash its picture or video, or open it if it nests."""
        _check_stated(result, entry, digests)
        file_type = sniff(head)
        known = self._is_known(digests)
        record = result.add_file(
            entry.spec, depth, digests, file_type, known, entry.origin
        )
        if known:
            return  # ordinary software: no pictures to hash, no archives to open
        if file_type.kind == "image":
            decoded = self._pdq(result, record, opener)
            self._capture(result, record, opener, picture_capture, decoded)
        elif file_type.kind == "video":
            decoded = self._video(result, record, opener)
            self._capture(result, record, opener, video_capture, decoded)
        else:
            probe = Probe(entry.spec, head, file_type, opener)
            nested = self._sources.recognise(probe, planned=False)
            if nested is None:
                self._disk_inside(
                    result, entry, opener, digests.size, head, depth, tree
                )
                return
            if self._too_deep(result, entry.spec, depth, "not opened"):
                return
            container = Container(
                entry.spec, opener, file_type=file_type, size=digests.size
            )
            self._expand(result, nested, container, depth, tree)

    def _too_deep(
        self, result: ItemResult, spec: PathSpec, depth: int, what: str
    ) -> bool:
        """Whether ``spec`` lies past the nesting limit (then warned, not opened)."""
        limit = self._config.limits.max_depth
        if depth < limit:
            return False
        result.warn(
            spec, WarningStage.ARCHIVE, f"nesting limit {limit} reached; {what}"
        )
        return True

    def _disk_inside(
        self,
        result: ItemResult,
        entry: Entry,
        opener: Opener,
        size: int,
        head: bytes,
        depth: int,
        tree: TreeBudget | None,
    ) -> None:
        """A disk image inside an archive or another disk image: its volumes and
        files listed and examined here, read in place through ``opener``."""
        what = _disk_kind(entry, opener, size, head)
        if what is None:
            return
        if self._too_deep(result, entry.spec, depth, f"{what} not opened"):
            return
        limits = self._config.limits
        root = tree is None  # the image is the outermost container of its tree
        tree = tree or TreeBudget(limits, size, entry.spec.display())
        disk = cast(DiskImageSource, self._sources.get(DISK_SOURCE))
        most = ExpansionBudget(limits, max(size, 1), tree).most_expanded()
        with _tree_guard(result, entry.spec, root, f"the rest of {what} is not read"):
            for found in disk.inside(entry.spec, opener, most):
                tree.count_member()
                if found.problem is not None:
                    reason = found.problem
                    if found.spec == entry.spec:  # the image itself did not open
                        reason = f"{what} inside {_inside_what(entry.spec)}: {reason}"
                    result.warn(found.spec, found.stage, reason)
                elif found.expand:
                    for carved in disk.expand(found):
                        self._inside_file(result, disk, carved, depth, tree)
                else:
                    self._inside_file(result, disk, found, depth, tree)

    def _inside_file(
        self,
        result: ItemResult,
        disk: EvidenceSource,
        found: Entry,
        depth: int,
        tree: TreeBudget,
    ) -> None:
        """One file of a disk image inside something, opened again as it is read."""
        _check_name(result, found.spec)

        def opener() -> BinaryIO:
            return disk.open(found)

        try:
            with opener() as handle:
                digests, head = hash_stream(handle, sha512=self._sha512)
        except OSError as exc:
            result.warn(found.spec, WarningStage.READ, disk.read_problem(found, exc))
            return
        self._analyse(result, found, depth + 1, digests, head, opener, tree)

    def _pdq(self, result: ItemResult, record: FileResult, opener: Opener) -> bool:
        try:
            outcome = self._pdq_matcher.examine(opener)
        except ImageDecodeError as exc:
            result.warn(record.path, WarningStage.DECODE, f"picture not decoded: {exc}")
            return False
        record.pdq, record.pdq_quality = outcome.result.hash, outcome.result.quality
        record.pdq_source, record.pdq_matches = outcome.source, outcome.matches
        return True

    def _capture(
        self,
        result: ItemResult,
        record: FileResult,
        opener: Opener,
        read: Callable[[BinaryIO], CaptureInfo],
        decoded: bool,
    ) -> None:
        """Camera, time and GPS from the file's own metadata, and the place its
        GPS point lies in; unreadable metadata is a warning, the file still counts
        (a file that did not decode has its warning already: one is enough)."""
        try:
            with opener() as stream:
                capture = read(stream)
        except (CaptureError, OSError) as exc:
            if decoded:
                result.warn(
                    record.path, WarningStage.DECODE, f"metadata not read: {exc}"
                )
            return
        if capture.is_empty():
            return
        record.capture = capture
        if capture.gps_lat is not None and capture.gps_lon is not None:
            record.place = place_label(capture.gps_lat, capture.gps_lon)

    def _video(self, result: ItemResult, record: FileResult, opener: Opener) -> bool:
        try:
            _, matches = self._video_matcher.examine(opener)
        except VideoDecodeError as exc:
            result.warn(record.path, WarningStage.DECODE, f"video not decoded: {exc}")
            return False
        record.pdq_matches.extend(matches)
        return True

    def _expand(
        self,
        result: ItemResult,
        source: EvidenceSource,
        container: Container,
        depth: int,
        tree: TreeBudget | None,
    ) -> None:
        """The entries of a nested source (an archive), each examined in turn.

        The outermost archive starts the tree budget that every archive nested in
        it shares; a tree bomb found at any depth unwinds to here.
        """
        limits = self._config.limits
        root = tree is None
        tree = tree or TreeBudget(limits, container.size, container.spec.display())
        budget = ExpansionBudget(limits, max(container.size, 1), tree)
        bounded = Container(
            container.spec,
            container.opener,
            file_type=container.file_type,
            size=container.size,
            max_expanded=budget.most_expanded(),
        )
        with _tree_guard(result, container.spec, root, "the rest is not read"):
            try:
                for member in source.entries(bounded):
                    tree.count_member()
                    if member.problem is not None:
                        result.warn(member.spec, member.stage, member.problem)
                        continue
                    _check_name(result, member.spec)
                    if not self._member(result, source, member, depth, budget):
                        break
            except SourceError as exc:
                result.warn(
                    container.spec,
                    WarningStage.ARCHIVE,
                    f"archive not opened or damaged: {exc}",
                )

    def _member(
        self,
        result: ItemResult,
        source: EvidenceSource,
        member: Entry,
        depth: int,
        budget: ExpansionBudget,
    ) -> bool:
        """Examine one streamed member; False when the archive must not be read on.

        A member is kept as it streams past (in memory, a temporary file past 32
        MiB) for the decoders to read again, except a disk image the archive can
        serve in place: that is read from the archive itself, never copied out.
        """
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY) as spool:
            reader = BudgetReader(
                source.open(member), budget, member.spec.raw(), member.packed_size
            )
            in_place = source.in_place(member)
            try:
                peek = _peek(reader) if in_place is not None else b""
                kept = in_place is not None and _disk_at_head(peek)
                digests, head = hash_stream(
                    cast(BinaryIO, _Prefixed(peek, reader)),
                    sink=None if kept else spool,
                    sha512=self._sha512,
                )
            except BombError as exc:
                if exc.whole_tree:
                    result.warn(
                        member.spec,
                        WarningStage.ARCHIVE,
                        f"decompression bomb: {exc}; the rest of it is not read",
                    )
                    raise _TreeStopped() from None
                if not exc.whole_archive:  # this member only: the rest is read
                    result.warn(
                        member.spec,
                        WarningStage.ARCHIVE,
                        f"member skipped, decompression bomb: {exc}",
                    )
                    return True
                result.warn(
                    member.spec,
                    WarningStage.ARCHIVE,
                    f"decompression bomb: {exc}; the rest of the archive is not read",
                )
                return False
            except (OSError, EOFError, ValueError) as exc:
                result.warn(
                    member.spec, WarningStage.READ, f"member not readable: {exc}"
                )
                return True

            def opener() -> BinaryIO:
                return cast(BinaryIO, _KeptOpen(spool))

            self._analyse(
                result,
                member,
                depth + 1,
                digests,
                head,
                in_place if kept and in_place is not None else opener,
                budget.tree,
            )
        return True


def _peek(reader: BudgetReader) -> bytes:
    """A member's first chunk, the read hashing would make first (so the archive
    budgets count alike): enough to recognise a disk image."""
    return reader.read(CHUNK)


def _disk_at_head(head: bytes) -> bool:
    """Whether a member's first bytes say it is a disk image. Formats known only
    by their last bytes (DMG, fixed VHD) are not: such a member is kept as it
    streams, then recognised and opened from there."""
    from kavach.evidence.sources.images import describe_head

    return describe_head(head) is not None


class _Prefixed:
    """``prefix`` then the rest of ``stream``: a member after its first bytes
    were looked at."""

    def __init__(self, prefix: bytes, stream: BudgetReader) -> None:
        self._prefix = prefix
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if self._prefix:
            if size < 0 or size >= len(self._prefix):
                out, self._prefix = self._prefix, b""
                return out
            out, self._prefix = self._prefix[:size], self._prefix[size:]
            return out
        return self._stream.read(size)


class _TreeStopped(Exception):
    """A tree budget ran out: unwind every nested archive to the outermost one.

    The warning is already recorded where the limit was met."""


@contextmanager
def _tree_guard(
    result: ItemResult, spec: PathSpec, root: bool, rest: str
) -> Iterator[None]:
    """Reading a container below which a tree budget may run out: a member or
    file too many is warned here; the stop unwinds to the outermost container
    (``root``), which reads on past it."""
    try:
        yield
    except _TreeStopped:
        if not root:
            raise
    except BombError as exc:  # too many members or files in the tree
        result.warn(spec, WarningStage.ARCHIVE, f"decompression bomb: {exc}; {rest}")
        if not root:
            raise _TreeStopped() from None


def _check_name(result: ItemResult, spec: PathSpec) -> None:
    if not spec.is_utf8():
        kind = "member" if spec.layer is Layer.MEMBER else "file"
        result.warn(
            spec, WarningStage.NAME, f"{kind} name is not UTF-8; kept as raw bytes"
        )


def _check_stated(result: ItemResult, entry: Entry, digests: Digests) -> None:
    """Hashes an extraction report states must equal what Kavach computes."""
    for algorithm, stated in entry.origin.stated:
        computed = getattr(digests, algorithm)
        if stated != computed:
            result.warn(
                entry.spec,
                WarningStage.REPORT,
                f"{entry.origin.stated_by} states {algorithm} {stated}, "
                f"Kavach computed {computed}",
            )


# Smaller files are not worth the look (it reads their first 64 KiB again): a
# raw disk worth opening is larger. A compressed file or an image format with
# its own compression (E01, QCOW2, sparse VMDK) says what it is in its first
# bytes, and can be a few KiB for an empty disk.
SMALLEST_DISK_INSIDE = 1024 * 1024
SMALLEST_MARKED_DISK_INSIDE = 1024


def _disk_kind(entry: Entry, opener: Opener, size: int, head: bytes) -> str | None:
    """What disk image a file inside an archive or another image is ("a VMDK
    image", "a disk image"), or None. Images lying in the scanned folder are
    listed where the scan is planned, not here."""
    from kavach.evidence.sources.compressed import compression_of
    from kavach.evidence.sources.image_formats import Look
    from kavach.evidence.sources.images import describe_disk, formats

    marked = (
        compression_of(head) is not None
        or formats().detect(Look(head, b"", b"")) is not None
    )
    smallest = SMALLEST_MARKED_DISK_INSIDE if marked else SMALLEST_DISK_INSIDE
    if entry.spec.parent is None or size < smallest:
        return None

    try:
        with opener() as stream:
            return describe_disk(stream)
    except OSError:
        return None


def _inside_what(spec: PathSpec) -> str:
    layers = {link.layer for link in spec.chain()}
    return "a disk image" if Layer.FS in layers else "an archive"
