"""Project VIC / VICS JSON (1.x and 2.0, Media and Cases envelopes), streamed.

National lists are single JSON files of several GB, so records are read one at a
time (``json_records``, with a bound on nesting); nothing holds the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kavach.errors import FormatError
from kavach.hashsets import digests
from kavach.hashsets.formats import json_records
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext, text_head
from kavach.hashsets.model import Algorithm, Deletion, ParsedEntry

_CONTEXT_KEYS = ("odata.metadata", "@odata.context")
_REGION = re.compile(r"/2\.0\.xml/(?P<region>[A-Za-z]+)/")
_SCHEME_BY_REGION = {
    "us": "projectvic-us",
    "default": "projectvic-us",
    "uk": "caid-uk",
    "custom": "custom",
}
_FLAGS = (
    "VictimIdentified",
    "OffenderIdentified",
    "IsDistributed",
    "IsSuspected",
    "IsPrecategorized",
)
_ALT_NAMES = {
    "sha1": Algorithm.SHA1,
    "sha256": Algorithm.SHA256,
    "sha512": Algorithm.SHA512,
    "pdq": Algorithm.PDQ,
    "md5": Algorithm.MD5,
}


class VicsFormat(HashsetFormat):
    name = "vics"
    description = "Project VIC / VICS JSON 1.x and 2.0 (Media or Cases)"
    default_scheme = "projectvic-us"

    def sniff(self, head: bytes, path: Path) -> int:
        text = text_head(head[:4096])
        if text.lstrip().startswith("{") and any(k in text for k in _CONTEXT_KEYS):
            return 95
        if text.lstrip().startswith("{") and '"value"' in text and '"MD5"' in text:
            return 60
        return 0

    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        with path.open("rb") as handle:
            metadata = json_records.top_level_string(
                handle, _CONTEXT_KEYS, context.source
            )
        if metadata is None:
            raise FormatError(
                context.source, "top level", "no odata.metadata / @odata.context key"
            )
        context.scheme = self.scheme_for(metadata)
        cases = metadata.rstrip("/").endswith("#Cases")
        target = ("value", "item", "Media", "item") if cases else ("value", "item")
        count = 0
        with path.open("rb") as handle:
            try:
                for count, media in enumerate(
                    json_records.records(handle, target, context.source), 1
                ):
                    yield _media_entry(media, f"Media record {count}", context)
            except FormatError as exc:
                if exc.where is None or not exc.where.startswith("byte"):
                    raise
                where = f"after Media record {count} ({exc.where})"
                raise FormatError(context.source, where, exc.reason) from None
        if count == 0:
            context.warn("value", "the file holds no Media records")

    def scheme_for(self, metadata: str) -> str:
        """The category scheme a file's context URL names (its region)."""
        region = _REGION.search(metadata)
        return _SCHEME_BY_REGION.get(
            region.group("region").lower() if region else "us", "custom"
        )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _media_entry(media: Any, where: str, context: ParseContext) -> ParsedEntry:
    if not isinstance(media, dict):
        raise FormatError(context.source, where, "a Media record must be an object")
    source = context.source
    entry = ParsedEntry(
        where=where,
        md5=digests.optional(
            _text(media.get("MD5")), Algorithm.MD5, source, f"{where}, MD5"
        ),
        sha1=digests.optional(
            _text(media.get("SHA1")), Algorithm.SHA1, source, f"{where}, SHA1"
        ),
        size=_int(media.get("MediaSize"), source, f"{where}, MediaSize"),
        category=_text(media.get("Category")),
        partner_id=_text(media.get("MediaID")),
        series=_text(media.get("Series")),
        media_type=_text(media.get("MimeType")),
        name=_text(media.get("RelativeFilePath")) or _first_file_name(media),
    )
    for flag in _FLAGS:
        value = _text(media.get(flag))
        if value is not None:
            entry.attributes[flag] = value.lower()
    _take_alternative_hashes(media, entry, where, context)
    if not entry.md5:
        if not entry.digests():
            raise FormatError(source, where, "no MD5 (required) and no other digest")
        context.warn(where, "no MD5 (required by VICS); other digests kept")
    return entry


def _take_alternative_hashes(
    media: dict[str, Any], entry: ParsedEntry, where: str, context: ParseContext
) -> None:
    for alt in media.get("AlternativeHashes") or []:
        if not isinstance(alt, dict):
            continue
        name = (_text(alt.get("HashName")) or "").lower().replace("-", "")
        value = _text(alt.get("HashValue"))
        algorithm = _ALT_NAMES.get(name)
        if algorithm is None or value is None:
            continue  # PhotoDNA and others Kavach cannot compute
        normalized = digests.normalize(
            value, algorithm, context.source, f"{where}, AlternativeHashes {name}"
        )
        if getattr(entry, algorithm.value) is None:
            setattr(entry, algorithm.value, normalized)


def _first_file_name(media: dict[str, Any]) -> str | None:
    files = media.get("MediaFiles") or []
    if files and isinstance(files[0], dict):
        return _text(files[0].get("FileName"))
    return None


def _int(value: Any, source: str, where: str) -> int | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise FormatError(source, where, f"not a whole number: {text!r}") from None
