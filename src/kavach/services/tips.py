"""Importing tips, grouping them into targets, scoring them, and listing both."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from kavach.audit.ports import AuditLog
from kavach.errors import InputError
from kavach.hashsets.ports import HashsetRepository
from kavach.tips.checks import problem
from kavach.tips.formats import TipFormatRegistry
from kavach.tips.formats.attachments import attachments_for
from kavach.tips.formats.interface import TipParseContext, load_columns
from kavach.tips.model import FileRef, ParsedTip, Rejected
from kavach.tips.ports import SaveResult, TargetRow, TipRepository, TipRow, TipToSave
from kavach.tips.scoring import score
from kavach.tips.targets import assign_targets, group_tips
from kavach.vocabulary import Algorithm

_HASH_TYPES = {"md5": Algorithm.MD5, "sha1": Algorithm.SHA1, "sha256": Algorithm.SHA256}
_ATTACHMENT_SUFFIXES = (".pdf",)


@dataclass(frozen=True, slots=True)
class TipImportOptions:
    format: str = "auto"
    source: str | None = None
    columns: Path | None = None  # a MAP.toml for sheets in another layout
    skip_invalid: bool = False


@dataclass(slots=True)
class TipImportResult:
    files: list[str]
    saved: SaveResult
    rejected: list[Rejected]
    skipped: list[str]  # files in a folder that no tip format recognises
    listed: list[str] = field(default_factory=list)  # "report: 3 files, 2 on list X"
    warnings: list[str] = field(default_factory=list)
    attachments: int = 0  # PDFs beside the reports, recorded by digest


class TipService:
    def __init__(
        self,
        repository: TipRepository,
        formats: TipFormatRegistry,
        hashsets: HashsetRepository,
        index_root: Path,
        audit: AuditLog,
        place: Callable[[Sequence[int] | None, str], object],
    ) -> None:
        self._repository = repository
        self._formats = formats
        self._hashsets = hashsets
        self._index_root = index_root
        self._audit = audit
        self._place = place

    def import_paths(
        self, paths: Sequence[Path], options: TipImportOptions, actor: str
    ) -> TipImportResult:
        """Read every report in ``paths`` (files or folders), then store them in one
        transaction: a file with a broken report is refused whole (nothing is
        stored) unless ``skip_invalid``. Re-importing a file changes nothing; a
        re-sent report with changes updates its tip and keeps the history."""
        files, skipped = self._expand(paths, options.format)
        if not files:
            shown = ", ".join(str(p) for p in paths)
            raise InputError(
                f"{shown}: no tip file found ({len(skipped)} files are not a tip "
                "format Kavach reads)"
            )
        context = TipParseContext(
            source=options.source or "NCMEC",
            columns=load_columns(options.columns) if options.columns else None,
            skip_invalid=options.skip_invalid,
        )
        if context.columns and options.format not in ("auto", "ncrb-sheet"):
            raise InputError("--columns names a sheet's columns: use it with sheets")
        tips = self._prepare(self._parse(files, options.format, context), context)
        saved = self._repository.save(tips, actor)
        self.regroup(actor)
        self._place(saved.tip_ids, actor)
        self.rescore()
        result = TipImportResult(
            [str(p) for p in files],
            saved,
            context.rejected,
            skipped,
            [line for t in tips if (line := _listed_line(t))],
            context.warnings,
            sum(len(t.tip.attachments) for t in tips),
        )
        self._audit.record(
            actor,
            "tips.import",
            ", ".join(result.files[:5]) + (" ..." if len(files) > 5 else ""),
            {
                "files": result.files,
                "new": saved.new,
                "updated": saved.updated,
                "unchanged": saved.unchanged,
                "rejected": [dataclasses.asdict(r) for r in context.rejected],
                "skipped": skipped,
            },
        )
        return result

    def _parse(
        self, files: list[Path], format: str, context: TipParseContext
    ) -> list[tuple[ParsedTip, str, str]]:
        """Every report of every file, each with its format and file; nothing is
        stored until all are read."""
        parsed = []
        for path in files:
            fmt = (
                self._formats.detect(path)
                if format == "auto"
                else self._formats.get(format)
            )
            for tip_ in fmt.parse(path, context):
                tip_.attachments = attachments_for(path, tip_.report_id)
                parsed.append((tip_, fmt.name, str(path)))
        return parsed

    def _expand(
        self, paths: Sequence[Path], format: str
    ) -> tuple[list[Path], list[str]]:
        """Files to read: those named, and under folders those a format recognises
        (PDFs are attachments of their reports, not files to read)."""
        files: list[Path] = []
        skipped: list[str] = []
        for path in paths:
            if not path.exists():
                raise InputError(f"{path}: no such file or folder")
            if not path.is_dir():
                if not path.is_file():
                    raise InputError(f"{path}: not a regular file")
                files.append(path)
                continue
            for child in sorted(path.rglob("*")):
                if child.is_symlink() or not (child.is_file() or child.is_dir()):
                    skipped.append(f"{child} (a link or special file: not followed)")
                    continue
                if child.is_dir():
                    continue
                if child.suffix.lower() in _ATTACHMENT_SUFFIXES:
                    continue
                if format != "auto" or self._formats.recognises(child):
                    files.append(child)
                else:
                    skipped.append(str(child))
        return files, skipped

    def _prepare(
        self, parsed: list[tuple[ParsedTip, str, str]], context: TipParseContext
    ) -> list[TipToSave]:
        """Check each report, digest its content and match its files to the lists."""
        seen: set[tuple[str, str]] = set()
        tips = []
        for tip_, fmt, file_name in parsed:
            if (wrong := problem(tip_)) is not None:
                context.file = file_name
                context.reject(tip_.where, wrong)
                continue
            key = (tip_.source, tip_.report_id)
            if key in seen:
                raise InputError(
                    f"{tip_.where}: report {tip_.report_id} of {tip_.source} appears "
                    "twice in this import; import the files one at a time, oldest "
                    "first, so the later one updates the tip"
                )
            seen.add(key)
            content = canonical(tip_)
            digest = hashlib.sha256(
                json.dumps(content, sort_keys=True).encode()
            ).hexdigest()
            tips.append(TipToSave(tip_, fmt, file_name, digest, content))
        self._match_files(tips)
        return tips

    def _match_files(self, tips: list[TipToSave]) -> None:
        from kavach.services.known_digests import find_in_lists

        wanted = {d for t in tips for f in t.tip.files if (d := _digest(f))}
        found = find_in_lists(self._hashsets, self._index_root, wanted)
        for item in tips:
            item.list_matches = [
                found.get(d, []) if (d := _digest(ref)) else []
                for ref in item.tip.files
            ]

    def regroup(self, actor: str) -> dict[int, list[int]]:
        """Put every tip into its target by the identifier rules (targets stay
        stable: a group keeps the oldest target id its tips had)."""
        keys = self._repository.identifier_keys()
        groups = group_tips(keys)
        chosen = assign_targets(groups, self._repository.current_targets())
        return self._repository.apply_targets(groups, chosen)

    def rescore(self) -> None:
        now = datetime.now(UTC)
        scores = {}
        for target_id, facts in self._repository.target_facts().items():
            points, factors = score(facts, now)
            scores[target_id] = (points, [f.as_dict() for f in factors])
        self._repository.set_scores(scores)

    def route(self, tip_id: int, station: str, actor: str, note: str | None) -> str:
        """Route a tip to a police station by hand; placement leaves it there from
        then on. Audited; returns the station's name."""
        if not station.strip():
            raise InputError("a station to route the tip to")
        name = self._repository.route(tip_id, station, note)
        self._audit.record(
            actor, "tip.route", str(tip_id), {"station": name, "note": note}
        )
        return name

    def tips(self, actor: str, limit: int | None = None) -> list[TipRow]:
        rows = self._repository.tips(limit)
        self._audit.record(actor, "tips.list", "tips", {"shown": len(rows)})
        return rows

    def targets(self, actor: str, limit: int | None = None) -> list[TargetRow]:
        rows = self._repository.targets(limit)
        self._audit.record(actor, "targets.list", "targets", {"shown": len(rows)})
        return rows


def _digest(ref: FileRef) -> tuple[Algorithm, str] | None:
    algorithm = _HASH_TYPES.get((ref.hash_type or "").lower())
    if algorithm is None or not ref.hash_value:
        return None
    return algorithm, ref.hash_value.lower()


def _listed_line(item: TipToSave) -> str | None:
    """``report 1234: 3 files, 2 on list X, category 1`` when any file is listed."""
    on_lists = [m for m in item.list_matches if m]
    if not on_lists:
        return None
    names = sorted({m["list"] for ms in on_lists for m in ms})
    categories = sorted(
        {str(m["category"]) for ms in on_lists for m in ms if m["category"]}
    )
    line = (
        f"report {item.tip.report_id}: {len(item.tip.files)} files, "
        f"{len(on_lists)} on list {', '.join(names)}"
    )
    return line + (f", category {', '.join(categories)}" if categories else "")


def canonical(tip_: ParsedTip) -> dict[str, Any]:
    """The report's content as plain JSON values, without where it was read from
    (the same report in another folder is the same report)."""
    content: dict[str, Any] = _plain(dataclasses.asdict(tip_))
    content.pop("where", None)
    for attachment in content.get("attachments", []):
        attachment.pop("path", None)
    return content


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Enum):
        return value.value
    return value
