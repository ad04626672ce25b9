"""Importing a hash list: parse, write a new version atomically, compile its indexes."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kavach.errors import FormatError, InputError
from kavach.hashsets.categories import SCHEMES, status_for
from kavach.hashsets.formats import FormatRegistry
from kavach.hashsets.formats.csv_columns import CsvColumnsFormat, parse_columns
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext
from kavach.hashsets.model import (
    Deletion,
    ImportWarning,
    ParsedEntry,
    Role,
)
from kavach.hashsets.ports import (
    HashsetInfo,
    HashsetRepository,
    IndexBuilder,
    NewVersion,
)

ROW_BATCH = 5000
MAX_PDQ_DISTANCE = 255  # 256-bit hashes; 256 would match everything


@dataclass(frozen=True)
class ImportOptions:
    """What the examiner said on the command line; ``None`` means "work it out"."""

    format: str = "auto"
    name: str | None = None
    source: str | None = None
    scheme: str | None = None
    role: Role | None = None
    label: str | None = None
    pdq_threshold: int | None = None
    # ``md5=MD5,name=FileName``: which header column holds what (CSV lists).
    columns: str | None = None


@dataclass
class ImportResult:
    info: HashsetInfo
    format: str
    unchanged: bool = False
    deleted: int = 0
    warnings: list[ImportWarning] = field(default_factory=list)


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a list file (a folder: of its files' names and bytes)."""
    digest = hashlib.sha256()
    size = 0
    files = (
        sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    )
    for file in files:
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode() + b"\0")
        with file.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    return digest.hexdigest(), size


def import_hashset(
    path: Path,
    options: ImportOptions,
    repository: HashsetRepository,
    registry: FormatRegistry,
    index_root: Path,
    actor: str,
    new_index: Callable[[], IndexBuilder],
    on_entries: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import ``path`` as a new version of a list; all or nothing.

    ``new_index`` makes the builder of the version's index folder (the matching
    side's ``ListIndexBuilder``); the folder is removed again if anything fails.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    columns = parse_columns(options.columns) if options.columns else None
    fmt = _choose_format(path, options.format, columns is not None, registry)
    threshold = options.pdq_threshold
    if threshold is not None and not 0 <= threshold <= MAX_PDQ_DISTANCE:
        raise InputError(
            f"--pdq-threshold {threshold}: a PDQ distance is 0 to {MAX_PDQ_DISTANCE}"
        )
    if options.scheme is not None and options.scheme not in SCHEMES:
        raise InputError(
            f"unknown scheme {options.scheme!r} (known: {', '.join(SCHEMES)})"
        )
    sha256, size = file_digest(path)
    name = options.name or path.stem
    existing = repository.get(name)
    if existing is not None and existing.retired_at is not None:
        raise InputError(
            f"list {name!r} is retired; import the file under another --name"
        )
    if existing is not None and existing.file_sha256 == sha256:
        return ImportResult(existing, fmt.name, unchanged=True)

    context = ParseContext(source=str(path), columns=columns)
    items = iter(fmt.parse(path, context))
    first = next(items, None)  # formats learn their scheme before the first record
    role = options.role or (existing.role if existing else fmt.default_role)
    scheme = options.scheme or context.scheme or fmt.default_scheme
    stream = _prepend(first, items)
    based_on = existing.version_id if existing and fmt.incremental else None
    deleted = 0
    if based_on is not None:
        stream, deleted = _apply_delta(
            repository.iter_entries(based_on), stream, context
        )
    elif fmt.incremental:
        stream = _drop_deletions(stream, context)

    version = NewVersion(
        uid=uuid.uuid4().hex,
        label=options.label or _label(path, sha256),
        format=fmt.name,
        scheme=scheme,
        file_name=path.name,
        file_sha256=sha256,
        file_size=size,
        imported_by=actor,
        based_on_version_id=based_on,
    )
    target = index_root / version.uid
    builder = new_index()
    try:
        with repository.write_version(
            name, role, options.source, options.pdq_threshold, version
        ) as writer:
            counts, total = _write_entries(
                stream, writer, builder, scheme, role, fmt, context, on_entries
            )
            builder.write(target)
            warnings = [
                {"where": w.where, "message": w.message} for w in context.warnings
            ]
            writer.finish(total, counts, warnings)
    except BaseException:
        builder.discard()
        shutil.rmtree(target, ignore_errors=True)
        raise
    info = repository.get(name)
    assert info is not None
    return ImportResult(info, fmt.name, deleted=deleted, warnings=context.warnings)


def _choose_format(
    path: Path, name: str, has_columns: bool, registry: FormatRegistry
) -> HashsetFormat:
    """The format asked for, or the one the file looks like; ``--columns`` means CSV."""
    if has_columns and name not in ("auto", CsvColumnsFormat.name):
        raise InputError(f"--columns is for --format csv, not --format {name}")
    if has_columns:
        return registry.get(CsvColumnsFormat.name)
    return registry.detect(path) if name == "auto" else registry.get(name)


def _write_entries(
    stream: Iterable[ParsedEntry | Deletion],
    writer: Any,
    builder: IndexBuilder,
    scheme: str,
    role: Role,
    fmt: HashsetFormat,
    context: ParseContext,
    on_entries: Callable[[int], None] | None,
) -> tuple[dict[str, int], int]:
    counts: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    seq = 0
    for item in stream:
        if isinstance(item, Deletion):
            continue
        status = status_for(scheme, item.category, role)
        rows.append(_row(seq, item, status.value))
        builder.add(seq, item.digests(), item.frames, status)
        kinds = [a.value for a in item.digests()] + (["vpdq"] if item.frames else [])
        for key in (*kinds, f"status:{status.value}"):
            counts[key] = counts.get(key, 0) + 1
        seq += 1
        if len(rows) >= ROW_BATCH:
            writer.add_entries(rows)
            rows = []
            if on_entries:
                on_entries(seq)
    if rows:
        writer.add_entries(rows)
    if on_entries:
        on_entries(seq)
    if seq == 0 and not fmt.incremental:
        raise FormatError(context.source, None, "the file holds no hash entries")
    return counts, seq


def _row(seq: int, entry: ParsedEntry, status: str) -> dict[str, Any]:
    return {
        "seq": seq,
        "md5": entry.md5,
        "sha1": entry.sha1,
        "sha256": entry.sha256,
        "sha512": entry.sha512,
        "pdq": entry.pdq,
        "pdq_quality": entry.pdq_quality,
        "size": entry.size,
        "name": entry.name,
        "raw_category": entry.category,
        "status": status,
        "partner_id": entry.partner_id,
        "series": entry.series,
        "media_type": entry.media_type,
        "attributes": json.dumps(_attributes(entry), sort_keys=True)
        if entry.attributes or entry.frames
        else None,
    }


def _attributes(entry: ParsedEntry) -> dict[str, str]:
    if entry.frames:
        return {**entry.attributes, "frames": str(len(entry.frames))}
    return entry.attributes


def _prepend(
    first: ParsedEntry | Deletion | None, rest: Iterator[ParsedEntry | Deletion]
) -> Iterator[ParsedEntry | Deletion]:
    if first is not None:
        yield first
    yield from rest


def _drop_deletions(
    stream: Iterator[ParsedEntry | Deletion], context: ParseContext
) -> Iterator[ParsedEntry | Deletion]:
    for item in stream:
        if isinstance(item, Deletion):
            context.warn(
                item.where, f"deletion of {item.partner_id}: no earlier version"
            )
        else:
            yield item


def _apply_delta(
    previous: Iterator[ParsedEntry],
    delta: Iterator[ParsedEntry | Deletion],
    context: ParseContext,
) -> tuple[Iterator[ParsedEntry | Deletion], int]:
    """The previous version's entries with the delta's updates and deletions applied."""
    updates: dict[str, ParsedEntry] = {}
    unkeyed: list[ParsedEntry] = []
    deletions: set[str] = set()
    for item in delta:
        if isinstance(item, Deletion):
            deletions.add(item.partner_id)
            updates.pop(item.partner_id, None)
        elif item.partner_id:
            updates[item.partner_id] = item
            deletions.discard(item.partner_id)
        else:
            unkeyed.append(item)
    kept: list[ParsedEntry | Deletion] = []
    removed: set[str] = set()
    for entry in previous:
        if entry.partner_id in deletions:
            removed.add(entry.partner_id)
        elif entry.partner_id not in updates:
            kept.append(entry)
    for partner_id in sorted(deletions - removed):
        context.warn("deletions", f"{partner_id} was not in the previous version")
    kept.extend(updates.values())
    kept.extend(unkeyed)
    return iter(kept), len(removed)


def _label(path: Path, sha256: str) -> str:
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return f"{modified:%Y-%m-%d} ({sha256[:12]})"
