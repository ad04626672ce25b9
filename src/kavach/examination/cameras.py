"""One camera (make, model, serial) in pictures of several exhibits: a strong link
between the exhibits, and between the people they were seized from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CameraLink:
    make: str | None
    model: str | None
    serial: str
    exhibits: dict[str, int]  # exhibit label -> pictures from this camera

    def camera(self) -> str:
        name = " ".join(p for p in (self.make, self.model) if p) or "unknown camera"
        return f"{name} (serial {self.serial})"


class CameraQueries(Protocol):
    def camera_links(self, min_exhibits: int) -> list[CameraLink]:
        """Cameras with a serial seen on at least ``min_exhibits`` exhibits (a
        file scanned twice counts in each run: the exhibit counts once)."""
        ...
