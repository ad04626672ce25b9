"""Where a phone extraction's messaging records are filed (storage implements it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kavach.examination.messaging.model import AppRecords
    from kavach.examination.resets import ResetSign


class PhoneRepository(Protocol):
    def file(
        self,
        device_label: str,
        folder: str,
        apps: Sequence[AppRecords],
        known: Sequence[tuple[Any, list[dict[str, str | None]]]],
        resets: Sequence[ResetSign],
        warnings: Sequence[str],
        by: str,
    ) -> int:
        """File one extraction on the seized device ``device_label``; its id."""
        ...
