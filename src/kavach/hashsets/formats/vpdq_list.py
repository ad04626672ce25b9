"""vPDQ lists: per-frame text files (``frame,quality,pdq,seconds``, one file a video,
the file name as the video's id) — a folder of them or a single one — or one CSV
whose first column is ``video_id``."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from kavach.errors import FormatError
from kavach.hashsets import digests
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext, text_head
from kavach.hashsets.model import Algorithm, Deletion, ParsedEntry


def _is_frame_line(line: str) -> bool:
    cells = line.strip().split(",")
    return (
        len(cells) == 4 and cells[0].isdigit() and digests.is_hex(cells[2].lower(), 64)
    )


class VpdqListFormat(HashsetFormat):
    name = "vpdq"
    description = "vPDQ: per-frame files (frame,quality,pdq,seconds) or video_id CSV"

    def sniff(self, head: bytes, path: Path) -> int:
        if path.is_dir():
            return 90 if any(path.glob("*.txt")) else 0
        first = text_head(head).splitlines()[0] if head else ""
        if first.lower().startswith("video_id,"):
            return 95
        return 80 if _is_frame_line(first) else 0

    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        if path.is_dir():
            files = sorted(path.glob("*.txt"))
            if not files:
                raise FormatError(context.source, None, "no per-frame .txt files")
            for file in files:
                yield _video(file.stem, _frame_file(file, context), str(file))
            return
        with path.open(encoding="utf-8-sig") as handle:
            first = handle.readline()
        if first.lower().startswith("video_id,"):
            yield from _csv(path, context)
        else:
            yield _video(path.stem, _frame_file(path, context), str(path))


def _frame(cells: list[str], source: str, where: str) -> tuple[str, int, float]:
    if len(cells) != 4 or not cells[0].strip().isdigit():
        raise FormatError(source, where, "expected frame,quality,pdq,seconds")
    try:
        quality, seconds = int(cells[1]), float(cells[3])
    except ValueError:
        raise FormatError(source, where, "quality or seconds is not a number") from None
    pdq = digests.normalize(cells[2], Algorithm.PDQ, source, where)
    return pdq, quality, seconds


def _frame_file(path: Path, context: ParseContext) -> list[tuple[str, int, float]]:
    frames = []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                frames.append(
                    _frame(line.strip().split(","), str(path), f"line {number}")
                )
    if not frames:
        raise FormatError(str(path), None, "no frames")
    return frames


def _csv(path: Path, context: ParseContext) -> Iterator[ParsedEntry]:
    videos: dict[str, list[tuple[str, int, float]]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            if not row:
                continue
            where = f"line {reader.line_num}"
            videos.setdefault(row[0], []).append(_frame(row[1:], context.source, where))
    for video_id, frames in videos.items():
        yield _video(video_id, frames, f"{context.source} video {video_id}")


def _video(
    video_id: str, frames: list[tuple[str, int, float]], where: str
) -> ParsedEntry:
    return ParsedEntry(
        where=where,
        partner_id=video_id,
        name=video_id,
        media_type="video",
        frames=frames,
    )
