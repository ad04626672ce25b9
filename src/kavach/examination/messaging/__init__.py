"""Messaging apps' databases on seized phones: who, which groups, which files.

``default_readers()`` is the registry of every reader; ``find_databases`` walks an
extraction (a folder) for the databases some reader claims.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kavach.errors import UnknownFormatError
from kavach.examination.messaging.interface import MessagingReader, MessagingRegistry
from kavach.examination.messaging.telegram_android import TelegramAndroid
from kavach.examination.messaging.whatsapp_android import WhatsAppAndroid
from kavach.examination.messaging.whatsapp_ios import WhatsAppIOS

# File names readers claim: walking a phone's tree sniffs only these.
MAIN_DATABASES = frozenset({"msgstore.db", "ChatStorage.sqlite", "cache4.db"})


def default_readers() -> MessagingRegistry:
    registry = MessagingRegistry()
    for reader in (WhatsAppAndroid(), WhatsAppIOS(), TelegramAndroid()):
        registry.register(reader)
    return registry


def find_databases(
    root: Path, registry: MessagingRegistry
) -> tuple[list[tuple[Path, MessagingReader]], list[str]]:
    """Every main database under ``root`` with the reader that claims it, and a
    warning for each file named like one that no reader can read (not SQLite)."""
    return databases_among(sorted(root.rglob("*")), registry)


def databases_among(
    paths: Iterable[Path], registry: MessagingRegistry
) -> tuple[list[tuple[Path, MessagingReader]], list[str]]:
    """``find_databases`` over paths already listed (one walk of an extraction)."""
    found, warnings = [], []
    for path in paths:
        if path.name not in MAIN_DATABASES or not path.is_file():
            continue
        try:
            found.append((path, registry.detect(path)))  # reads the head once
        except UnknownFormatError:
            warnings.append(f"{path}: named like a messaging database, not SQLite")
    return found, warnings
