"""Backing up the database and the data folder's indexes, checking a backup, and
restoring one: encrypted by default, verified whole before anything is touched."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kavach import __version__
from kavach.audit.ports import AuditLog
from kavach.errors import FormatError, InputError

if TYPE_CHECKING:
    from kavach.backup.keys import KeySource
    from kavach.backup.ports import Database

MANIFEST = "manifest.json"
INDEXES = "indexes"
SUFFIX = ".kvbk"


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size: int
    encrypted: bool
    counts: dict[str, int]
    removed: list[Path]  # older backups --keep let go


@dataclass(frozen=True, slots=True)
class Listed:
    path: Path
    header: dict[str, Any]


class BackupService:
    def __init__(self, database: Database, index_root: Path, audit: AuditLog) -> None:
        self._db = database
        self._index_root = index_root
        self._audit = audit

    # ---- backup ----

    def create(
        self,
        out: Path,
        key: KeySource | None,
        actor: str,
        keep: int | None = None,
        on_bytes: Callable[[int], None] | None = None,
    ) -> BackupResult:
        """One file: the database, the indexes and a manifest; written under a
        temporary name and renamed, so a half-written backup never looks whole."""
        from kavach.backup.container import write_backup

        if out.exists():
            raise InputError(f"--out {out}: exists; a backup never overwrites a file")
        out.parent.mkdir(parents=True, exist_ok=True)
        with _scratch(out.parent) as scratch:
            database = self._db.snapshot(scratch)
            parts = [(database.name, database), *self._index_parts()]
            manifest = self._manifest(parts, actor)
            (scratch / MANIFEST).write_text(
                json.dumps(manifest, indent=1, sort_keys=True)
            )
            partial = out.with_name(f".{out.name}.partial")
            with partial.open("wb") as handle:
                write_backup(
                    handle,
                    _public(manifest),
                    [(MANIFEST, scratch / MANIFEST), *parts],
                    key,
                    on_bytes=on_bytes,
                )
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, out)
        removed = self._prune(out.parent, keep, actor) if keep else []
        result = BackupResult(
            out, out.stat().st_size, key is not None, manifest["counts"], removed
        )
        self._audit.record(
            actor,
            "backup.create",
            str(out.resolve()),
            {
                "encrypted": result.encrypted,
                "size": result.size,
                "schema": manifest["schema"],
                "rows": sum(result.counts.values()),
                "sha256": _sha256(out),
            },
        )
        return result

    def _index_parts(self) -> list[tuple[str, Path]]:
        if not self._index_root.is_dir():
            return []
        return [
            (f"{INDEXES}/{path.relative_to(self._index_root).as_posix()}", path)
            for path in sorted(self._index_root.rglob("*"))
            if path.is_file()
        ]

    def _manifest(self, parts: list[tuple[str, Path]], actor: str) -> dict[str, Any]:

        return {
            "kavach_version": __version__,
            "schema": self._db.revision(),
            "database": self._db.kind(),
            "counts": self._db.counts(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "created_by": actor,
            "parts": {
                name: {"sha256": _sha256(path), "size": path.stat().st_size}
                for name, path in parts
            },
        }

    def _prune(self, folder: Path, keep: int, actor: str) -> list[Path]:
        """Remove all but the ``keep`` newest backups in ``folder``."""
        listed = sorted(
            self.in_folder(folder), key=lambda b: str(b.header.get("created_at"))
        )
        doomed = [b.path for b in listed[:-keep]] if len(listed) > keep else []
        for path in doomed:
            path.unlink()
            self._audit.record(
                actor, "backup.prune", str(path.resolve()), {"keep": keep}
            )
        return doomed

    # ---- reading ----

    def in_folder(self, folder: Path) -> list[Listed]:
        """Every backup in ``folder`` with its public header (no key needed)."""
        from kavach.backup.container import read_header

        if not folder.is_dir():
            raise InputError(f"{folder}: not a folder")
        found = []
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix == SUFFIX:
                try:
                    header = read_header(path)
                except FormatError:
                    continue  # a file named like a backup that is not one
                public = dict(header.get("public", {}))
                public["encrypted"] = bool(header.get("encrypted"))
                found.append(Listed(path, public))
        return found

    def verify(self, path: Path, key: KeySource | None, actor: str) -> dict[str, Any]:
        """Open, authenticate and check every part against the manifest; write
        nothing anywhere but a scratch folder that is removed."""
        with self._opened(path, key) as (manifest, _folder):
            self._audit.record(
                actor,
                "backup.verify",
                str(path.resolve()),
                {"schema": manifest["schema"], "ok": True},
            )
            return manifest

    @contextmanager
    def _opened(
        self, path: Path, key: KeySource | None
    ) -> Iterator[tuple[dict[str, Any], Path]]:
        from kavach.backup.container import open_backup

        if not path.is_file():
            raise InputError(f"{path}: no such backup file")
        with _scratch(None) as scratch:
            names = open_backup(path, key, scratch)
            manifest = _check_parts(path, scratch, names)
            yield manifest, scratch

    # ---- restore ----

    def restore(
        self, path: Path, key: KeySource | None, actor: str, force: bool = False
    ) -> dict[str, Any]:
        """Verify the backup whole, then put its database and indexes in place of
        empty ones (``force``: of anything, a copy of which is kept), upgrade an
        older schema, and check every table holds what the manifest counted."""

        with self._opened(path, key) as (manifest, scratch):
            if manifest["database"] != self._db.kind():
                raise InputError(
                    f"{path}: a {manifest['database']} backup; this Kavach's database "
                    f"is {self._db.kind()}"
                )
            kept = self._make_room(force)
            self._put_back(manifest, scratch)
        self._db.reopen()  # runs the migrations an older schema needs
        lost = _lost_rows(manifest["counts"], self._db.counts())
        if lost:
            raise FormatError(str(path), None, f"restored rows differ: {lost}")
        self._audit.record(
            actor,
            "backup.restore",
            str(path.resolve()),
            {
                "schema": manifest["schema"],
                "created_at": manifest["created_at"],
                "rows": sum(manifest["counts"].values()),
                "kept": kept,
            },
        )
        return {**manifest, "kept": kept}

    def _make_room(self, force: bool) -> list[str]:
        """Refuse a database or index folder holding anything, unless ``force``,
        which moves what is there aside (and says where)."""

        busy = not self._db.is_empty()
        indexes = self._index_root.is_dir() and any(self._index_root.iterdir())
        if (busy or indexes) and not force:
            what = " and ".join(
                w
                for w, b in (("the database", busy), ("the index folder", indexes))
                if b
            )
            raise InputError(
                f"{what} already {'hold' if busy and indexes else 'holds'} data: "
                "restore into an empty one, or give "
                "--force (a copy of what is replaced is kept)"
            )
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = []
        if busy:
            aside = self._index_root.parent / f"replaced-{stamp}"
            aside.mkdir(parents=True, exist_ok=True)
            kept.append(str(self._db.snapshot(aside)))
        if indexes:
            moved = self._index_root.with_name(f"{INDEXES}.replaced-{stamp}")
            self._index_root.rename(moved)
            kept.append(str(moved))
        return kept

    def _put_back(self, manifest: dict[str, Any], scratch: Path) -> None:
        sqlite = manifest["database"] == "sqlite"
        self._db.replace_with(
            scratch / ("database.sqlite" if sqlite else "database.pgdump")
        )
        source = scratch / INDEXES
        if self._index_root.exists() and not any(self._index_root.iterdir()):
            self._index_root.rmdir()
        if source.is_dir():
            shutil.copytree(source, self._index_root)
        else:
            self._index_root.mkdir(parents=True, exist_ok=True)


def _public(manifest: dict[str, Any]) -> dict[str, Any]:
    """What a backup says in clear: versions, when, which database, row counts —
    never a name, digest or path from the records."""
    return {
        k: manifest[k]
        for k in ("kavach_version", "schema", "database", "counts", "created_at")
    }


def _check_parts(path: Path, folder: Path, names: list[str]) -> dict[str, Any]:
    if MANIFEST not in names:
        raise FormatError(str(path), None, "no manifest inside")
    manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text())
    listed = manifest.get("parts", {})
    missing = sorted(set(listed) - set(names))
    if missing:
        raise FormatError(str(path), None, f"part missing: {missing[0]}")
    extra = sorted(set(names) - set(listed) - {MANIFEST})
    if extra:
        raise FormatError(
            str(path), None, f"a part the manifest does not list: {extra[0]}"
        )
    for name, facts in listed.items():
        if _sha256(folder / name) != facts["sha256"]:
            raise FormatError(str(path), name, "its SHA-256 is not the manifest's")
    return manifest


def _lost_rows(before: dict[str, int], after: dict[str, int]) -> dict[str, str]:
    return {t: f"{n} -> {after.get(t)}" for t, n in before.items() if after.get(t) != n}


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@contextmanager
def _scratch(near: Path | None) -> Iterator[Path]:
    """A private scratch folder (mode 700), removed however the block ends."""
    folder = Path(tempfile.mkdtemp(prefix=".kavach-backup-", dir=near))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
