"""The settings that decide a scan's results, stored with each run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from kavach.evidence.limits import Limits
from kavach.vocabulary import DEFAULT_PDQ_MIN_QUALITY

if TYPE_CHECKING:  # the matchers pull in numpy and the picture decoders
    from kavach.matching.pdq_matcher import PdqPolicy
    from kavach.matching.video_matcher import VideoPolicy


@dataclass(frozen=True)
class ScanSettings:
    """Everything that decides a scan's results; stored with the run."""

    pdq_threshold: int = 31
    pdq_min_quality: int = DEFAULT_PDQ_MIN_QUALITY
    rotations: bool = True
    pdq_fast: bool = True
    pdq_fast_min_side: int = 360
    pdq_fast_margin: int = 16
    unletterbox: bool = True  # also hash pictures with uniform borders cut off
    video_every: float | None = 1.0
    video_share: float = 0.8
    limits: Limits = field(default_factory=Limits)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScanSettings:
        values = dict(data)
        values["limits"] = Limits(**values.get("limits", {}))
        # Runs stored before unletterboxing existed resume as they started.
        values.setdefault("unletterbox", False)
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})

    def pdq_policy(self) -> PdqPolicy:
        from kavach.matching.pdq_matcher import PdqPolicy

        return PdqPolicy(
            min_quality=self.pdq_min_quality,
            rotations=self.rotations,
            fast=self.pdq_fast,
            fast_min_side=self.pdq_fast_min_side,
            margin=self.pdq_fast_margin,
            unletterbox=self.unletterbox,
        )

    def video_policy(self) -> VideoPolicy:
        from kavach.matching.video_matcher import VideoPolicy

        return VideoPolicy(self.video_every, self.video_share, self.pdq_min_quality)
