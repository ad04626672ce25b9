"""Folders a service writes into, refused clearly when they cannot be."""

from __future__ import annotations

from pathlib import Path

from kavach.errors import InputError


def out_folder(path: Path, option: str = "--out") -> Path:
    """``path`` as a folder, made if need be; a file there or no permission is bad
    input named by its option, not a fault."""
    if path.exists() and not path.is_dir():
        raise InputError(f"{option} {path}: a file is there, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{option} {path}: cannot make the folder ({exc.strerror})"
        ) from None
    return path
