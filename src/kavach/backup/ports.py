"""What the backup service needs of the database (implemented in ``kavach.storage``)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class Database(Protocol):
    """The database as a whole: copied, counted, emptied, put back."""

    def kind(self) -> str:
        """``sqlite`` or ``postgresql``."""
        ...

    def revision(self) -> str | None: ...

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        ...

    def is_empty(self) -> bool:
        """Holds none of the unit's work (a fresh ``kavach init`` is empty)."""
        ...

    def snapshot(self, into: Path) -> Path:
        """A consistent copy of the whole database in ``into``; returns the file."""
        ...

    def replace_with(self, snapshot: Path) -> None:
        """Put a snapshot in place of the database (the caller checked it)."""
        ...

    def reopen(self) -> None:
        """Open the restored database afresh and bring it to the newest schema."""
        ...
