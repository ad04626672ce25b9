"""Matching a video, where it is decoded (in a worker).

Against vPDQ lists: a list entry is a bag of frame hashes; the video matches it when
the share of the video's unique usable frames within the threshold of some frame of
the entry reaches ``share`` (80 % by default). Both shares are reported.
Against picture PDQ lists: a frame within the threshold of a listed picture is a hit,
with the frame's timestamps.
Every video hit is ``perceptual`` / ``vpdq``; timestamps go in ``detail``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kavach.matching.list_index import ListIndex
from kavach.matching.pdq_matcher import Opener, PdqMatch
from kavach.perceptual.vpdq import FrameHash, as_words, frame_hashes, unique_usable
from kavach.vocabulary import DEFAULT_PDQ_MIN_QUALITY, Algorithm


@dataclass(frozen=True)
class VideoPolicy:
    every: float | None = 1.0  # seconds between hashed frames; None: every frame
    share: float = 0.8
    min_quality: int = DEFAULT_PDQ_MIN_QUALITY


class VideoMatcher:
    def __init__(self, lists: Sequence[ListIndex], policy: VideoPolicy) -> None:
        self._lists = [i for i in lists if i.vpdq is not None or i.pdq is not None]
        self._policy = policy
        every = policy.every
        # A sampled video can cover only part of a list entry that has every frame.
        self._sampling = f" (sampled every {every:g} s)" if every else ""
        self._frames_per_entry = {
            i.version_id: i.vpdq.rows_per_entry() for i in self._lists if i.vpdq
        }

    def examine(self, opener: Opener) -> tuple[int, list[PdqMatch]]:
        """(frames hashed, matches); ``VideoDecodeError`` when it cannot be decoded."""
        with opener() as handle:
            frames = frame_hashes(handle, self._policy.every)
        usable = unique_usable(frames, self._policy.min_quality)
        if not usable:
            return len(frames), []
        queries = as_words([f.pdq for f in usable])
        matches: list[PdqMatch] = []
        for index in self._lists:
            if index.vpdq is not None:
                matches += self._videos(index, usable, queries)
            if index.pdq is not None:
                matches += self._pictures(index, usable, queries)
        return len(frames), matches

    def _videos(
        self, index: ListIndex, usable: list[FrameHash], queries: np.ndarray
    ) -> list[PdqMatch]:
        assert index.vpdq is not None
        found, rows, distances = index.vpdq.search_arrays(queries, index.pdq_threshold)
        entries = index.vpdq.ids_of(rows)
        per_entry: dict[int, tuple[set[int], set[int], int]] = defaultdict(
            lambda: (set(), set(), 256)
        )
        for query, row, entry, distance in zip(
            found.tolist(),
            rows.tolist(),
            entries.tolist(),
            distances.tolist(),
            strict=True,
        ):
            queried, targets, best = per_entry[entry]
            queried.add(query)
            targets.add(row)
            per_entry[entry] = (queried, targets, min(best, distance))
        counts = self._frames_per_entry[index.version_id]
        matches = []
        for entry, (queried, targets, best) in sorted(per_entry.items()):
            query_share = len(queried) / len(usable)
            if query_share < self._policy.share or not index.alerts_on(entry):
                continue
            target_share = len(targets) / max(int(counts[entry]), 1)
            first = min(usable[q].seconds for q in queried)
            detail = (
                f"{query_share:.0%} of the video's unique frames, "
                f"{target_share:.0%} of the listed video's; from {first:.1f} s"
            )
            matches.append(
                PdqMatch(index.version_id, entry, best, None, Algorithm.VPDQ, detail)
            )
        return matches

    def _pictures(
        self, index: ListIndex, usable: list[FrameHash], queries: np.ndarray
    ) -> list[PdqMatch]:
        assert index.pdq is not None
        found, rows, distances = index.pdq.search_arrays(queries, index.pdq_threshold)
        entries = index.pdq.ids_of(rows)
        times: dict[int, list[float]] = defaultdict(list)
        best: dict[int, int] = {}
        for query, entry, distance in zip(
            found.tolist(), entries.tolist(), distances.tolist(), strict=True
        ):
            times[entry].append(usable[query].seconds)
            best[entry] = min(best.get(entry, 256), distance)
        matches = []
        for entry, seconds in sorted(times.items()):
            if not index.alerts_on(entry):
                continue
            shown = ", ".join(f"{s:.1f} s" for s in sorted(set(seconds))[:10])
            more = " ..." if len(set(seconds)) > 10 else ""
            matches.append(
                PdqMatch(
                    index.version_id,
                    entry,
                    best[entry],
                    None,
                    Algorithm.VPDQ,
                    f"frames at {shown}{more} match a listed picture",
                )
            )
        return matches
