"""The messaging databases the demo builds (published schemas), for the tests."""

from kavach.demo.messaging_dbs import (
    CACHE4_SCHEMA,
    CHATSTORAGE_SCHEMA,
    CONTACTSV2_SCHEMA,
    MSGSTORE_SCHEMA,
    WA_SCHEMA,
    b64,
    telegram_android,
    whatsapp_android,
    whatsapp_ios,
)

__all__ = [
    "CACHE4_SCHEMA",
    "CHATSTORAGE_SCHEMA",
    "CONTACTSV2_SCHEMA",
    "MSGSTORE_SCHEMA",
    "WA_SCHEMA",
    "b64",
    "telegram_android",
    "whatsapp_android",
    "whatsapp_ios",
]
