"""Signs that a device was wiped or cleaned before seizure, from facts a scan lists.

Each sign is an indicator with the figures it rests on, worded so an examiner can
put it in a report as it stands ("may indicate"); none says that wiping happened.
The caller summarises the exhibit's present files as ``FileFacts`` (one pass, so a
scan of millions of files can stream them) and passes the tool findings it has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from kavach.examination.model import (
    CLEANING_CATEGORIES,
    ToolCategory,
    ToolFinding,
    Trace,
)
from kavach.examination.user_files import is_user_file

__all__ = [
    "DEFAULT_SETTINGS",
    "FileFacts",
    "SignCode",
    "WipingSettings",
    "WipingSign",
    "is_user_file",
    "wiping_signs",
]


class SignCode(StrEnum):
    ALL_FILES_YOUNG = "all-files-young"  # every timed file is recent
    FEW_USER_FILES = "few-user-files"  # a large device with little of a person's
    SECURE_DELETE_TOOL = "secure-delete-tool"  # a wiper or cleaner is present
    WIPER_RUN = "wiper-run"  # a Prefetch file shows such a tool ran
    MANY_DELETED = "many-deleted"  # deleted entries outnumber present files


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What a sign needs of one present file; times without a zone are taken as UTC."""

    path: str
    size: int
    modified: datetime | None
    created: datetime | None
    user_file: bool  # the caller decides, usually with ``is_user_file``


@dataclass(frozen=True, slots=True)
class WipingSettings:
    young_days: int = 30  # "young": created or modified this close to the reference
    few_user_files: int = 50  # fewer user files than this is "few" ...
    large_device_bytes: int = 16 * 2**30  # ... on a device at least this large
    min_timed_files: int = 10  # below this, "all files are young" says nothing
    many_deleted: int = 100  # and deleted entries must also outnumber present files


DEFAULT_SETTINGS = WipingSettings()


@dataclass(frozen=True, slots=True)
class WipingSign:
    code: SignCode
    message: str  # one sentence for a report, with its figures
    figures: dict[str, int | str] = field(default_factory=dict)


@dataclass(slots=True)
class _Summary:
    files: int = 0
    user_files: int = 0
    timed: int = 0
    oldest: datetime | None = None  # the earliest time of the file whose is earliest
    newest: datetime | None = None

    def add(self, facts: FileFacts) -> None:
        self.files += 1
        self.user_files += facts.user_file
        times = [_utc(t) for t in (facts.modified, facts.created) if t is not None]
        if not times:
            return
        self.timed += 1
        # A file counts as old if either time is old: a copied file keeps its
        # modified time, so the earlier one is the stronger sign of age.
        earliest, latest = min(times), max(times)
        if self.oldest is None or earliest < self.oldest:
            self.oldest = earliest
        if self.newest is None or latest > self.newest:
            self.newest = latest


def wiping_signs(
    files: Iterable[FileFacts],
    device_bytes: int | None,
    seized_at: datetime | None,
    tools: Iterable[ToolFinding],
    settings: WipingSettings = DEFAULT_SETTINGS,
    deleted_count: int = 0,
) -> list[WipingSign]:
    """The signs the facts support, in a fixed order; empty when none does."""
    summary = _Summary()
    for facts in files:
        summary.add(facts)
    signs = [
        _all_files_young(summary, seized_at, settings),
        _few_user_files(summary, device_bytes, settings),
        _many_deleted(summary, deleted_count, settings),
    ]
    found = [sign for sign in signs if sign is not None]
    return found + _tool_signs(tools)


def _all_files_young(
    summary: _Summary, seized_at: datetime | None, settings: WipingSettings
) -> WipingSign | None:
    if summary.timed < settings.min_timed_files or summary.oldest is None:
        return None
    reference = _utc(seized_at) if seized_at is not None else summary.newest
    assert reference is not None
    if summary.oldest < reference - timedelta(days=settings.young_days):
        return None
    kind = "seizure" if seized_at is not None else "newest file"
    before = (
        f"the seizure on {_day(reference)}"
        if seized_at is not None
        else f"the newest file time, {_day(reference)}"
    )
    message = (
        f"All {summary.timed:,} files with a known time were created or modified "
        f"within {settings.young_days} days before {before} (the oldest on "
        f"{_day(summary.oldest)}); this may indicate that the device was wiped, "
        "reset or set up anew shortly before."
    )
    figures: dict[str, int | str] = {
        "timed_files": summary.timed,
        "untimed_files": summary.files - summary.timed,
        "young_days": settings.young_days,
        "oldest": summary.oldest.isoformat(),
        "reference": reference.isoformat(),
        "reference_kind": kind,
    }
    return WipingSign(SignCode.ALL_FILES_YOUNG, message, figures)


def _few_user_files(
    summary: _Summary, device_bytes: int | None, settings: WipingSettings
) -> WipingSign | None:
    if device_bytes is None or device_bytes < settings.large_device_bytes:
        return None
    if summary.user_files >= settings.few_user_files:
        return None
    message = (
        f"Only {_count(summary.user_files, 'user file')} (pictures, videos, "
        f"documents, chats) {'was' if summary.user_files == 1 else 'were'} found "
        f"among {summary.files:,} files on a device of {_size(device_bytes)}; this "
        "may indicate that the device was cleaned or reset before seizure."
    )
    figures: dict[str, int | str] = {
        "user_files": summary.user_files,
        "files": summary.files,
        "device_bytes": device_bytes,
        "few_user_files": settings.few_user_files,
    }
    return WipingSign(SignCode.FEW_USER_FILES, message, figures)


def _many_deleted(
    summary: _Summary, deleted_count: int, settings: WipingSettings
) -> WipingSign | None:
    if deleted_count < settings.many_deleted or deleted_count <= summary.files:
        return None
    message = (
        f"{deleted_count:,} deleted file entries were found beside "
        f"{_count(summary.files, 'present file')}; this may indicate that files "
        "were deleted in bulk before seizure."
    )
    figures: dict[str, int | str] = {
        "deleted": deleted_count,
        "files": summary.files,
        "many_deleted": settings.many_deleted,
    }
    return WipingSign(SignCode.MANY_DELETED, message, figures)


_KIND = {
    ToolCategory.WIPER: "disk-wiping",
    ToolCategory.SECURE_DELETE: "secure-deletion",
    ToolCategory.ANTI_FORENSICS: "trace-cleaning",
}
_PURPOSE = {
    ToolCategory.WIPER: "a disk or its free space was wiped",
    ToolCategory.SECURE_DELETE: "files were deleted beyond recovery",
    ToolCategory.ANTI_FORENSICS: "traces of use were removed",
}


def _tool_signs(tools: Iterable[ToolFinding]) -> list[WipingSign]:
    """Per cleaning tool: a sign that it is present, and one that it was run."""
    present: dict[str, list[ToolFinding]] = {}
    ran: dict[str, list[ToolFinding]] = {}
    for finding in tools:
        if finding.rule.category not in CLEANING_CATEGORIES:
            continue
        table = ran if finding.trace is Trace.PREFETCH else present
        table.setdefault(finding.rule.id, []).append(finding)
    signs = [_tool_present(found) for found in present.values()]
    return signs + [_tool_run(found) for found in ran.values()]


def _tool_present(found: list[ToolFinding]) -> WipingSign:
    rule = found[0].rule
    message = (
        f"Traces of {rule.name}, a {_KIND[rule.category]} tool, were found at "
        f"{_count(len(found), 'place')}, for example {found[0].path}; this may "
        f"indicate that {_PURPOSE[rule.category]}."
    )
    return WipingSign(SignCode.SECURE_DELETE_TOOL, message, _tool_figures(found))


def _tool_run(found: list[ToolFinding]) -> WipingSign:
    rule = found[0].rule
    files = _count(len(found), "Windows Prefetch file")
    message = (
        f"{files} {'shows' if len(found) == 1 else 'show'} that {rule.name}, a "
        f"{_KIND[rule.category]} tool, was run on this system ({found[0].path}); "
        f"this may indicate that {_PURPOSE[rule.category]}."
    )
    return WipingSign(SignCode.WIPER_RUN, message, _tool_figures(found))


def _tool_figures(found: list[ToolFinding]) -> dict[str, int | str]:
    rule = found[0].rule
    return {
        "tool": rule.name,
        "rule": rule.id,
        "category": rule.category.value,
        "traces": len(found),
        "path": found[0].path,
    }


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def _size(size: int) -> str:
    gib = size / 2**30
    if gib >= 1024:
        return f"{gib / 1024:,.1f} TiB"
    return f"{gib:,.0f} GiB" if gib >= 10 else f"{gib:,.1f} GiB"
