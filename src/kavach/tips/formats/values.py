"""Reading one value of a tip (identifier, time, port, hash, flag) the same way in
every format, raising ``BadRecord`` that names the record and the field."""

from __future__ import annotations

import re
from datetime import date, datetime

from kavach.tips.formats.interface import BadRecord
from kavach.tips.identifiers import IdentifierError, ip_address, normalise
from kavach.tips.model import Identifier, IdentifierKind
from kavach.tips.times import TimeError, parse_time

_HASH_TYPES = {32: "md5", 40: "sha1", 64: "sha256"}
_HEX = re.compile(r"[0-9a-f]+")
# ASCII digits only: "²".isdigit() is true, and int() then fails.
_DIGITS = re.compile(r"[0-9]{1,9}")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
# How providers spell a device id type -> the type identifiers.device_id knows.
_DEVICE_TYPES = {
    "imei": "imei",
    "meid": "meid",
    "imeisv": "imeisv",
    "android_id": "android_id",
    "androidid": "android_id",
    "idfa": "idfa",
    "idfv": "idfv",
    "mac": "mac",
    "mac_address": "mac",
    "serial": "serial",
    "serial_number": "serial",
}
# Generic captures whose value itself says the type ("IMEI:...") or is a bare IMEI.
_GENERIC_DEVICE = {"device_id", "device_identifier", "device"}


def _bad(where: str, name: str, message: str) -> BadRecord:
    """The error for one value; ``name`` is left out when ``where`` already says it."""
    return BadRecord(where, f"field {name}: {message}" if name else message)


def known_hash_type(declared: str | None) -> bool:
    """Whether a declared hash type is one Kavach keeps (``SHA-256``, ``md5``, ...)."""
    said = (declared or "").strip().lower().replace("-", "")
    return not said or said in _HASH_TYPES.values()


def text(value: object) -> str | None:
    """A stripped string, or None for empty and for values that are not scalars."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None  # NaN or infinity: JSON that says nothing
        if value.is_integer():
            value = int(value)  # a spreadsheet's 919847012345.0
    if isinstance(value, str | int | float):
        return str(value).strip() or None
    return None


def flag(value: object) -> bool | None:
    """A yes/no that providers write as a boolean or as a word."""
    if isinstance(value, bool):
        return value
    word = (text(value) or "").lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return None


def escalated(value: object) -> bool:
    """High priority: a true flag, or a reason written in its place."""
    said = flag(value)
    return said if said is not None else text(value) is not None


def identifier(
    kind: IdentifierKind, value: str, where: str, name: str, service: str | None = None
) -> Identifier:
    try:
        return normalise(kind, value, service)
    except IdentifierError as exc:
        raise _bad(where, name, f"{exc}") from None


def time(value: object, where: str, name: str) -> datetime | None:
    if isinstance(value, datetime | date):
        return parse_time(value)
    cleaned = text(value)
    if cleaned is None:
        return None
    try:
        return parse_time(cleaned)
    except TimeError as exc:
        raise _bad(where, name, f"{exc}") from None


def ip(value: str, where: str, name: str) -> str:
    try:
        return ip_address(value)
    except IdentifierError as exc:
        raise _bad(where, name, f"{exc}") from None


def port(value: object, where: str, name: str) -> int | None:
    cleaned = text(value)
    if cleaned is None:
        return None
    if not _DIGITS.fullmatch(cleaned) or not 0 <= int(cleaned) <= 65535:
        raise _bad(where, name, f"{cleaned!r} is not a port (0-65535)")
    return int(cleaned)


def whole_number(value: object, where: str, name: str) -> int | None:
    cleaned = text(value)
    if cleaned is None:
        return None
    if not _DIGITS.fullmatch(cleaned):
        raise _bad(where, name, f"{cleaned[:40]!r} is not a whole number")
    return int(cleaned)


def birth_date(value: object, where: str, name: str) -> str | None:
    """An ISO date; a full timestamp keeps only its date."""
    if isinstance(value, datetime | date):
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    cleaned = text(value)
    if cleaned is None:
        return None
    try:
        return date.fromisoformat(cleaned[:10]).isoformat()
    except ValueError:
        raise _bad(
            where, name, f"{cleaned!r} is not a date (YYYY-MM-DD expected)"
        ) from None


def file_hash(
    value: str, where: str, name: str, declared: str | None = None
) -> tuple[str, str]:
    """``(lower-case hex, type)``; the type from its length, checked if declared."""
    digest = value.strip().lower()
    kind = _HASH_TYPES.get(len(digest))
    if not _HEX.fullmatch(digest) or kind is None:
        raise _bad(where, name, f"{value!r} is not an MD5, SHA-1 or SHA-256 hex digest")
    said = (declared or "").strip().lower().replace("-", "")
    if said and said != kind:
        raise _bad(where, name, f"says {declared}, but {len(digest)} digits is {kind}")
    return digest, kind


def device(kind_text: str, value: str, where: str, name: str) -> Identifier | None:
    """A device identifier, or None when the type is not one Kavach can compare."""
    spelled = re.sub(r"[\s\-]+", "_", kind_text.strip().lower())
    if spelled in _GENERIC_DEVICE:
        try:
            return normalise(IdentifierKind.DEVICE_ID, value)
        except IdentifierError:
            return None  # a device id of a kind nobody said: nothing to compare
    kind = _DEVICE_TYPES.get(spelled)
    if kind is None:
        return None
    return identifier(IdentifierKind.DEVICE_ID, f"{kind}:{value}", where, name)


def true_names(value: object) -> list[str]:
    """Annotation names: the true keys of an object, or the names of a list."""
    if isinstance(value, dict):
        return [str(k) for k, v in value.items() if flag(v)]
    if isinstance(value, list):
        return [name for item in value if (name := text(item))]
    single = text(value)
    return [single] if single else []


def split(value: object, separator: str = ";") -> list[str]:
    """The values of a cell holding several, stripped, empty ones dropped."""
    cleaned = text(value)
    if cleaned is None:
        return []
    return [part.strip() for part in cleaned.split(separator) if part.strip()]
