"""Failures Kavach did not raise itself, said in one line with what to do.

``KavachError`` carries its own message; everything else (the disk filling up, the
database going away, a fault in Kavach) is described here. ``KAVACH_DEBUG=1`` shows
the traceback instead.
"""

from __future__ import annotations

import errno
import os

RESUME = "an interrupted scan resumes with 'kavach scan --resume ID'"


def debugging() -> bool:
    return os.environ.get("KAVACH_DEBUG", "").lower() in ("1", "true", "yes")


def exit_code(exc: BaseException) -> int:
    """5 when the database failed (as for Kavach's own ``StorageError``), else 1."""
    return 5 if _from_database(exc) else 1


def _from_database(exc: BaseException) -> bool:
    return type(exc).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3"))


def describe(exc: BaseException) -> str:
    """One line: what failed, and what to do."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        where = f" writing {exc.filename}" if exc.filename else ""
        return (
            f"disk full{where}: free space and run the command again; an import "
            f"is all or nothing, and {RESUME}"
        )
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied: {exc.filename or exc}"
    if _from_database(exc):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return (
            f"the database failed ({type(exc).__name__}: {first}); check it is "
            f"running and reachable, then run again; {RESUME}"
        )
    return (
        f"{type(exc).__name__}: {exc} (a fault in Kavach: run again with "
        "KAVACH_DEBUG=1 and report the traceback)"
    )
