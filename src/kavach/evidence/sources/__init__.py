"""Evidence sources: one module per kind of container, in a registry that refuses
duplicates (the same shape as the hash-list formats; see ``interface.py``)."""

from __future__ import annotations

from kavach.evidence.keys import NO_KEYS, KeyRing
from kavach.evidence.sources.interface import (
    Container,
    Entry,
    EvidenceSource,
    Origin,
    Probe,
)


class SourceRegistry:
    """Sources by name; ``recognise`` picks the surest one for a probe."""

    def __init__(self) -> None:
        self._sources: dict[str, EvidenceSource] = {}
        self._kinds: dict[tuple[bool, bool], list[EvidenceSource]] = {}

    def register(self, source: EvidenceSource) -> None:
        if source.name in self._sources:
            raise ValueError(f"evidence source {source.name!r} registered twice")
        self._sources[source.name] = source
        self._kinds.clear()

    def names(self) -> list[str]:
        return sorted(self._sources)

    def all(self) -> list[EvidenceSource]:
        return [self._sources[name] for name in self.names()]

    def _kind(self, planned: bool, folders: bool) -> list[EvidenceSource]:
        """The sources of one kind; asked once a file, so kept."""
        key = (planned, folders)
        if key not in self._kinds:
            self._kinds[key] = [
                s for s in self.all() if s.planned == planned and s.folders == folders
            ]
        return self._kinds[key]

    def get(self, name: str) -> EvidenceSource:
        try:
            return self._sources[name]
        except KeyError:
            raise KeyError(f"no evidence source {name!r}") from None

    def recognise(self, probe: Probe, planned: bool) -> EvidenceSource | None:
        """The planned (or nested) source surest of ``probe``, if any."""
        scored = [
            (source.recognise(probe), source.name)
            for source in self._kind(planned, probe.folder)
        ]
        best, name = max(scored, default=(0, ""))
        return self._sources[name] if best > 0 else None


def default_sources(keys: KeyRing = NO_KEYS) -> SourceRegistry:
    """Every source Kavach ships; add a new one here. ``keys`` unlock encrypted
    volumes of disk images."""
    from kavach.evidence.sources import (
        android_backup,
        archive,
        disk_image,
        folder,
        phone,
    )

    registry = SourceRegistry()
    for source in (
        folder.FolderSource(),
        disk_image.DiskImageSource(keys),
        phone.IosBackupSource(),
        phone.UfdrSource(),
        archive.ZipSource(),
        archive.TarSource(),
        archive.SevenZipSource(),
        android_backup.AndroidBackupSource(),
    ):
        registry.register(source)
    return registry


__all__ = [
    "Container",
    "Entry",
    "EvidenceSource",
    "Origin",
    "Probe",
    "SourceRegistry",
    "default_sources",
]
