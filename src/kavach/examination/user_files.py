"""Which files a person made or kept: pictures, videos, documents, chats in user areas.

A device with few of these on a large disk may have been cleaned. The test is by
place and type only: a picture in ``Users/x/Pictures`` counts, the same picture in
``Program Files`` or a cache does not.
"""

from __future__ import annotations

# Where people keep their own files, as "/name/" runs in a lowercased path.
_USER_AREAS = (
    "/users/",  # Windows, macOS
    "/documents and settings/",  # Windows XP
    "/home/",  # Linux
    "/sdcard/",
    "/storage/emulated/",
    "/data/media/",  # Android's shared storage as an extraction shows it
    "/dcim/",
    "/private/var/mobile/",  # iOS file system
    "/homedomain/media/",  # iOS backup domains
    "/camerarolldomain/media/",
    "/mediadomain/",
)
# App-private places where chats live (WhatsApp's msgstore.db, iMessage's sms.db).
_CHAT_AREAS = ("/data/data/", "/data/user/", "/homedomain/library/sms/", "/appdomain")
# Inside a user area but written by software, not kept by the person.
_SYSTEM_AREAS = (
    "/windows/",
    "/program files/",
    "/program files (x86)/",
    "/programdata/",
    "/appdata/",
    "/library/caches/",
    "/android/data/",
    "/android/obb/",
    "/.thumbnails/",
    "/cache/",
    "/caches/",
)
_DOCUMENT_MIMES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/rtf",
        "text/plain",
        "text/rtf",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
)
_OFFICE_PREFIX = "application/vnd.openxmlformats-officedocument."
_SQLITE_MIMES = frozenset({"application/vnd.sqlite3", "application/x-sqlite3"})
# Chat stores by file name: a database is a chat only when it is one of these.
_CHAT_DATABASES = frozenset(
    {"msgstore.db", "wa.db", "mmssms.db", "sms.db", "chatstorage.sqlite", "cache4.db"}
)


def is_user_file(path: str, mime: str) -> bool:
    """Whether ``path`` (display form) of type ``mime`` is a file a person kept."""
    where = "/" + path.lower().replace("!/", "/").lstrip("/")
    if any(area in where for area in _SYSTEM_AREAS):
        return False
    kind = mime.lower().partition(";")[0].strip()
    if kind in _SQLITE_MIMES:
        name = where.rpartition("/")[2]
        areas = (*_USER_AREAS, *_CHAT_AREAS)
        return name in _CHAT_DATABASES and any(area in where for area in areas)
    if not _is_personal_type(kind):
        return False
    return any(area in where for area in _USER_AREAS)


def _is_personal_type(kind: str) -> bool:
    if kind.startswith(("image/", "video/", "audio/")):
        return True
    return kind in _DOCUMENT_MIMES or kind.startswith(_OFFICE_PREFIX)
