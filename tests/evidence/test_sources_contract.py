"""Every registered evidence source lists its sample, through a real scan."""

from __future__ import annotations

from pathlib import Path

import pytest

from kavach.bootstrap import Kavach
from kavach.evidence.sources import SourceRegistry, default_sources
from kavach.evidence.sources.folder import FolderSource
from tests.helpers.scanning import read_csv, scan
from tests.helpers.source_samples import SAMPLES

REGISTRY = default_sources()


def test_every_registered_source_has_a_sample() -> None:
    assert set(REGISTRY.names()) == set(SAMPLES)


def test_registry_refuses_a_name_twice() -> None:
    registry = SourceRegistry()
    registry.register(FolderSource())
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(FolderSource())


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_source_lists_its_sample(
    name: str, sqlite_app: Kavach, tmp_path: Path, testdata: Path
) -> None:
    source = REGISTRY.get(name)
    assert source.name == name and source.description
    exhibit = tmp_path / "exhibit"
    exhibit.mkdir()
    expected = SAMPLES[name](exhibit, testdata)
    out = tmp_path / "out"
    scan(sqlite_app, exhibit, out)
    paths = {row["path"] for row in read_csv(out / "files.csv")}
    assert set(expected) <= paths, sorted(paths)
    warnings = read_csv(out / "warnings.csv")
    assert warnings == [], warnings
