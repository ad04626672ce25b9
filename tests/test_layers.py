"""The dependency rule, read from the imports: adapters call services, storage is
wired in only by bootstrap, and hashsets/ and matching/ stand apart."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "kavach"


def _imports(path: Path) -> set[str]:
    """Every module and name a file imports (``a.b`` and ``a.b.Name``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _files(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def test_adapters_never_touch_storage() -> None:
    for path in _files("cli"):
        assert not any(i.startswith("kavach.storage") for i in _imports(path)), path


def test_only_bootstrap_names_a_sql_class() -> None:
    for path in SRC.rglob("*.py"):
        if path.name == "bootstrap.py" or "storage" in path.parts:
            continue
        names = {i.rsplit(".", 1)[-1] for i in _imports(path)}
        assert not any(n.startswith("Sql") for n in names), path


def test_hashsets_and_matching_do_not_import_each_other() -> None:
    for package, other in (("hashsets", "matching"), ("matching", "hashsets")):
        for path in _files(package):
            imported = _imports(path)
            assert not any(i.startswith(f"kavach.{other}") for i in imported), path


def test_the_command_line_loads_no_heavy_library_before_a_command_runs() -> None:
    heavy = ["numpy", "PIL", "av", "pytsk3", "pyewf", "alembic", "sqlalchemy"]
    heavy += ["jinja2", "pydantic", "ijson", "splink", "duckdb", "pyarrow"]
    probe = (
        f"import sys, kavach.cli.app; print([m for m in {heavy!r} if m in sys.modules])"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_services_never_touch_storage() -> None:
    """Services reach the database only through the ports bootstrap hands them."""
    for path in _files("services"):
        imported = _imports(path)
        assert not any(
            i.startswith(("kavach.storage", "sqlalchemy")) for i in imported
        ), path
