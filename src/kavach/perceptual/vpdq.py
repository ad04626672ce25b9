"""vPDQ: PDQ hashes of video frames, and the comparison of two videos' frame bags.

Frames are decoded with PyAV straight from a stream (a file, an archive member, a
file inside a disk image): no copy of the video is written anywhere. By default one
frame a second is hashed; ``every=None`` hashes every frame, as the reference does.
Two videos match when the share of the query's unique frames that lie within the
distance of some frame of the other reaches a threshold (80 % by default).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import av
import numpy as np
import numpy.typing as npt

from kavach.perceptual.pdq import pdq_of_pixels
from kavach.vocabulary import DEFAULT_PDQ_MIN_QUALITY


class VideoDecodeError(Exception):
    """A video that cannot be opened or decoded."""


@dataclass(frozen=True, slots=True)
class FrameHash:
    frame: int
    quality: int
    pdq: str
    seconds: float


def frame_hashes(stream: BinaryIO, every: float | None = 1.0) -> list[FrameHash]:
    """PDQ of the video's frames: one each ``every`` seconds, or all when None."""
    try:
        return list(_frames(stream, every))
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise VideoDecodeError(str(exc) or type(exc).__name__) from None


def _frames(stream: BinaryIO, every: float | None) -> Iterator[FrameHash]:
    with av.open(stream, mode="r") as container:
        if not container.streams.video:
            raise VideoDecodeError("no video stream")
        video = container.streams.video[0]
        next_time = 0.0
        for number, frame in enumerate(container.decode(video)):
            seconds = float(frame.time) if frame.time is not None else 0.0
            if every is not None:
                if seconds + 1e-6 < next_time:
                    continue
                next_time += every * max(1, int((seconds - next_time) // every) + 1)
            pixels = np.asarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)
            result = pdq_of_pixels(pixels, dihedral=False)
            yield FrameHash(number, result.quality, result.hash, round(seconds, 3))


def as_words(hashes: Sequence[str]) -> npt.NDArray[np.uint64]:
    raw = b"".join(bytes.fromhex(h) for h in hashes)
    return np.frombuffer(raw, dtype=np.uint64).reshape(-1, 4)


def unique_usable(frames: Sequence[FrameHash], min_quality: int) -> list[FrameHash]:
    """Frames good enough to compare, each distinct hash once (first occurrence)."""
    seen: set[str] = set()
    kept = []
    for frame in frames:
        if frame.quality >= min_quality and frame.pdq not in seen:
            seen.add(frame.pdq)
            kept.append(frame)
    return kept


@dataclass(frozen=True, slots=True)
class VideoComparison:
    query_share: float  # of the query's unique frames, the share matched
    target_share: float  # of the other video's unique frames, the share matched
    distance: int  # the closest pair of frames
    first_match: float | None  # seconds into the query


def compare(
    query: Sequence[FrameHash],
    target: Sequence[FrameHash],
    threshold: int = 31,
    min_quality: int = DEFAULT_PDQ_MIN_QUALITY,
) -> VideoComparison:
    """How much of ``query`` is found in ``target`` and the other way round."""
    q = unique_usable(query, min_quality)
    t = unique_usable(target, min_quality)
    if not q or not t:
        return VideoComparison(0.0, 0.0, 256, None)
    a, b = as_words([f.pdq for f in q]), as_words([f.pdq for f in t])
    distances = np.bitwise_count(a[:, None, :] ^ b[None, :, :]).sum(axis=2)
    close = distances <= threshold
    matched = np.flatnonzero(close.any(axis=1))
    return VideoComparison(
        query_share=float(close.any(axis=1).mean()),
        target_share=float(close.any(axis=0).mean()),
        distance=int(distances.min()),
        first_match=q[int(matched[0])].seconds if matched.size else None,
    )
