"""Hash lists and their versions in the database."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    delete,
    func,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.exc import IntegrityError

from kavach.errors import InputError, NotFoundError, StorageError
from kavach.hashsets.model import ParsedEntry, Role, Status
from kavach.hashsets.ports import EntryFacts, HashsetInfo, NewVersion, Removal
from kavach.storage.tables import (
    hash_entry,
    hashset,
    hashset_version,
    hit,
    hit_review,
    scan_run_version,
)


class _VersionWriter:
    def __init__(
        self,
        connection: Connection,
        version_id: int,
        hashset_id: int,
        previous_id: int | None,
    ) -> None:
        self._connection = connection
        self._version_id = version_id
        self._hashset_id = hashset_id
        self._previous_id = previous_id

    def add_entries(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            row["version_id"] = self._version_id
        self._connection.execute(insert(hash_entry), rows)

    def finish(
        self, entry_count: int, counts: dict[str, int], warnings: list[dict[str, str]]
    ) -> int:
        now = datetime.now(UTC)
        self._connection.execute(
            update(hashset_version)
            .where(hashset_version.c.id == self._version_id)
            .values(
                entry_count=entry_count,
                counts=json.dumps(counts, sort_keys=True),
                warnings=json.dumps(warnings),
            )
        )
        if self._previous_id is not None:
            self._connection.execute(
                update(hashset_version)
                .where(hashset_version.c.id == self._previous_id)
                .values(superseded_at=now)
            )
        self._connection.execute(
            update(hashset)
            .where(hashset.c.id == self._hashset_id)
            .values(current_version_id=self._version_id)
        )
        return self._version_id


class SqlHashsetRepository:
    """Implements ``kavach.hashsets.ports.HashsetRepository`` with SQLAlchemy Core."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _query(self) -> Any:
        return select(
            hashset,
            hashset_version.c.id.label("version_id"),
            hashset_version.c.uid,
            hashset_version.c.label,
            hashset_version.c.format,
            hashset_version.c.file_sha256,
            hashset_version.c.imported_at,
            hashset_version.c.imported_by,
            hashset_version.c.entry_count,
            hashset_version.c.counts,
        ).select_from(
            hashset.outerjoin(
                hashset_version, hashset_version.c.id == hashset.c.current_version_id
            )
        )

    def get(self, name: str) -> HashsetInfo | None:
        with self._engine.connect() as connection:
            row = connection.execute(
                self._query().where(hashset.c.name == name)
            ).first()
        return _info(row) if row else None

    def list_all(self) -> list[HashsetInfo]:
        with self._engine.connect() as connection:
            rows = connection.execute(self._query().order_by(hashset.c.name)).all()
        return [_info(row) for row in rows]

    def current_infos(self) -> list[HashsetInfo]:
        return [
            info
            for info in self.list_all()
            if info.version_id is not None and info.retired_at is None
        ]

    def retire(self, name: str, actor: str) -> HashsetInfo:
        with self._engine.begin() as connection:
            done = connection.execute(
                update(hashset)
                .where(hashset.c.name == name, hashset.c.retired_at.is_(None))
                .values(retired_at=datetime.now(UTC), retired_by=actor)
            )
        info = self.get(name)
        if info is None:
            raise _unknown(name)
        if done.rowcount == 0:
            raise InputError(f"list {name!r} was retired already")
        return info

    def scans_using(self, name: str) -> list[str]:
        with self._engine.connect() as connection:
            return list(
                connection.execute(
                    select(scan_run_version.c.scan_id)
                    .distinct()
                    .join(
                        hashset_version,
                        hashset_version.c.id == scan_run_version.c.version_id,
                    )
                    .join(hashset, hashset.c.id == hashset_version.c.hashset_id)
                    .where(hashset.c.name == name)
                    .order_by(scan_run_version.c.scan_id)
                ).scalars()
            )

    def remove(self, name: str) -> Removal:
        with self._engine.begin() as connection:
            found = connection.execute(
                select(hashset.c.id).where(hashset.c.name == name)
            ).scalar()
            if found is None:
                raise NotFoundError(
                    f"no hash list {name!r} (see 'kavach hashset list')"
                )
            versions = select(hashset_version.c.id).where(
                hashset_version.c.hashset_id == found
            )
            uids = list(
                connection.execute(
                    select(hashset_version.c.uid).where(
                        hashset_version.c.hashset_id == found
                    )
                ).scalars()
            )
            scans = connection.execute(
                select(func.count(func.distinct(scan_run_version.c.scan_id))).where(
                    scan_run_version.c.version_id.in_(versions)
                )
            ).scalar_one()
            reviewed = connection.execute(
                select(func.count())
                .select_from(hit_review.join(hit, hit.c.id == hit_review.c.hit_id))
                .where(hit.c.version_id.in_(versions))
            ).scalar_one()
            if reviewed:
                # Examiners' decisions are kept for good: their hits stay too.
                raise InputError(
                    f"list {name!r} has hits an examiner reviewed ({reviewed} "
                    "decisions kept); retire it instead (kavach hashset retire)"
                )
            hits = connection.execute(
                delete(hit).where(hit.c.version_id.in_(versions))
            ).rowcount
            connection.execute(
                delete(scan_run_version).where(
                    scan_run_version.c.version_id.in_(versions)
                )
            )
            entries = connection.execute(
                delete(hash_entry).where(hash_entry.c.version_id.in_(versions))
            ).rowcount
            connection.execute(
                update(hashset)
                .where(hashset.c.id == found)
                .values(current_version_id=None)
            )
            removed = connection.execute(
                delete(hashset_version).where(hashset_version.c.hashset_id == found)
            ).rowcount
            connection.execute(delete(hashset).where(hashset.c.id == found))
        return Removal(removed, entries, hits, int(scans), uids)

    def entries_at(
        self, pairs: Sequence[tuple[int, int]]
    ) -> dict[tuple[int, int], EntryFacts]:
        found: dict[tuple[int, int], EntryFacts] = {}
        wanted = sorted(set(pairs))
        with self._engine.connect() as connection:
            # One query per slice, not one per entry (a batch of tips names many).
            for start in range(0, len(wanted), 500):
                rows = connection.execute(
                    select(
                        hash_entry.c.version_id,
                        hash_entry.c.seq,
                        hashset.c.name,
                        hashset_version.c.label,
                        hash_entry.c.raw_category,
                        hash_entry.c.status,
                    )
                    .join(
                        hashset_version, hashset_version.c.id == hash_entry.c.version_id
                    )
                    .join(hashset, hashset.c.id == hashset_version.c.hashset_id)
                    .where(
                        tuple_(hash_entry.c.version_id, hash_entry.c.seq).in_(
                            wanted[start : start + 500]
                        )
                    )
                ).all()
                for row in rows:
                    found[(row.version_id, row.seq)] = EntryFacts(
                        row.name, row.label, row.raw_category, Status(row.status)
                    )
        return found

    def version_uids(self) -> dict[str, str]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(hashset_version.c.uid, hashset.c.name).join(
                    hashset, hashset.c.id == hashset_version.c.hashset_id
                )
            ).all()
        return {r.uid: r.name for r in rows}

    def iter_entries(self, version_id: int) -> Iterator[ParsedEntry]:
        query = (
            select(hash_entry)
            .where(hash_entry.c.version_id == version_id)
            .order_by(hash_entry.c.seq)
        )
        with self._engine.connect() as connection:
            for row in connection.execute(query):
                yield ParsedEntry(
                    where=f"version {version_id} entry {row.seq}",
                    md5=row.md5,
                    sha1=row.sha1,
                    sha256=row.sha256,
                    sha512=row.sha512,
                    pdq=row.pdq,
                    pdq_quality=row.pdq_quality,
                    size=row.size,
                    name=row.name,
                    category=row.raw_category,
                    partner_id=row.partner_id,
                    series=row.series,
                    media_type=row.media_type,
                    attributes=json.loads(row.attributes) if row.attributes else {},
                )

    @contextmanager
    def write_version(
        self,
        name: str,
        role: Role,
        source: str | None,
        pdq_threshold: int | None,
        version: NewVersion,
    ) -> Iterator[_VersionWriter]:
        """One transaction: the list row, the version, its entries, the switch-over."""
        try:
            now = datetime.now(UTC)
            with self._engine.begin() as connection:
                hashset_id, previous_id = _list_row(
                    connection, name, role, source, pdq_threshold, version.scheme
                )
                version_id = connection.execute(
                    insert(hashset_version)
                    .values(
                        hashset_id=hashset_id,
                        uid=version.uid,
                        label=version.label,
                        format=version.format,
                        scheme=version.scheme,
                        file_name=version.file_name,
                        file_sha256=version.file_sha256,
                        file_size=version.file_size,
                        imported_at=now,
                        imported_by=version.imported_by,
                        entry_count=0,
                        counts="{}",
                        warnings="[]",
                        based_on_version_id=version.based_on_version_id,
                    )
                    .returning(hashset_version.c.id)
                ).scalar_one()
                yield _VersionWriter(connection, version_id, hashset_id, previous_id)
        except IntegrityError as exc:
            # Another import of the same list committed first (two commands at once).
            raise StorageError(
                f"list {name!r} was imported by another command at the same moment "
                f"({str(exc.orig).splitlines()[0]}); run the import again"
            ) from None


def _list_row(
    connection: Connection,
    name: str,
    role: Role,
    source: str | None,
    pdq_threshold: int | None,
    scheme: str,
) -> tuple[int, int | None]:
    """The list's row, created or updated: (its id, its current version's id)."""
    current = connection.execute(
        select(hashset.c.id, hashset.c.current_version_id).where(hashset.c.name == name)
    ).first()
    if current is None:
        hashset_id = connection.execute(
            insert(hashset)
            .values(
                name=name,
                role=role.value,
                source=source,
                scheme=scheme,
                pdq_threshold=pdq_threshold,
                created_at=datetime.now(UTC),
            )
            .returning(hashset.c.id)
        ).scalar_one()
        return int(hashset_id), None
    values: dict[str, Any] = {"role": role.value, "scheme": scheme}
    if source is not None:
        values["source"] = source
    if pdq_threshold is not None:
        values["pdq_threshold"] = pdq_threshold
    connection.execute(
        update(hashset).where(hashset.c.id == current.id).values(**values)
    )
    return int(current.id), current.current_version_id


def _info(row: Row[Any]) -> HashsetInfo:
    return HashsetInfo(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        source=row.source,
        scheme=row.scheme,
        pdq_threshold=row.pdq_threshold,
        version_id=row.version_id,
        version_uid=row.uid,
        version_label=row.label,
        format=row.format,
        file_sha256=row.file_sha256,
        imported_at=row.imported_at,
        imported_by=row.imported_by,
        entry_count=row.entry_count or 0,
        counts=json.loads(row.counts) if row.counts else {},
        retired_at=row.retired_at,
    )


def _unknown(name: str) -> NotFoundError:
    return NotFoundError(f"no hash list {name!r} (see 'kavach hashset list')")
