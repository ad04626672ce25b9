"""Messaging apps' databases on seized phones: who, which groups, which files.

``default_readers()`` is the registry of every reader; ``find_databases`` walks an
extraction (a folder) for the databases some reader claims.
"""

from __future__ import annotations

from pathlib import Path

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
    found, warnings = [], []
    for path in sorted(root.rglob("*")):
        if path.name not in MAIN_DATABASES or not path.is_file():
            continue
        if registry.recognises(path):
            found.append((path, registry.detect(path)))
        else:
            warnings.append(f"{path}: named like a messaging database, not SQLite")
    return found, warnings
