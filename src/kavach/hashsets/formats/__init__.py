"""Hash-list formats: one module each, in a registry that refuses duplicates."""

from __future__ import annotations

from pathlib import Path

from kavach.errors import InputError, UnknownFormatError
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext

SNIFF_BYTES = 64 * 1024


class FormatRegistry:
    """Formats by name; ``detect`` picks the surest one for a file."""

    def __init__(self) -> None:
        self._formats: dict[str, HashsetFormat] = {}

    def register(self, fmt: HashsetFormat) -> None:
        if fmt.name in self._formats:
            raise ValueError(f"hash-list format {fmt.name!r} registered twice")
        self._formats[fmt.name] = fmt

    def names(self) -> list[str]:
        return sorted(self._formats)

    def all(self) -> list[HashsetFormat]:
        return [self._formats[name] for name in self.names()]

    def get(self, name: str) -> HashsetFormat:
        try:
            return self._formats[name]
        except KeyError:
            known = ", ".join(self.names())
            raise InputError(
                f"unknown format {name!r} (known: auto, {known})"
            ) from None

    def detect(self, path: Path) -> HashsetFormat:
        head = b""
        if path.is_file():
            with path.open("rb") as handle:
                head = handle.read(SNIFF_BYTES)
        scored = [(fmt.sniff(head, path), fmt.name) for fmt in self.all()]
        best_score, best_name = max(scored, default=(0, ""))
        if best_score <= 0:
            raise UnknownFormatError(
                f"{path}: not a hash-list format Kavach reads; give --format "
                f"({', '.join(self.names())})"
            )
        return self._formats[best_name]


def default_registry() -> FormatRegistry:
    """Every format Kavach ships."""
    from kavach.hashsets.formats import (
        csv_columns,
        encase,
        hashdeep,
        hashkeeper,
        icse,
        ncmec,
        nist_caid,
        nsrl_legacy,
        nsrl_rds,
        pdq_list,
        plain,
        vics,
        vpdq_list,
    )

    registry = FormatRegistry()
    for fmt in (
        vics.VicsFormat(),
        icse.IcseCsvFormat(),
        ncmec.NcmecXmlFormat(),
        nsrl_rds.NsrlRdsFormat(),
        nsrl_legacy.NsrlLegacyFormat(),
        hashdeep.HashdeepFormat(),
        plain.PlainSumFormat(),
        encase.EncaseHashFormat(),
        hashkeeper.HashkeeperFormat(),
        pdq_list.PdqListFormat(),
        vpdq_list.VpdqListFormat(),
        nist_caid.NistCaidFormat(),
        csv_columns.CsvColumnsFormat(),
    ):
        registry.register(fmt)
    return registry


__all__ = ["FormatRegistry", "HashsetFormat", "ParseContext", "default_registry"]
