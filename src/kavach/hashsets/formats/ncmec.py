"""NCMEC hash-sharing XML (the ``entries`` answer of the hash-sharing API).

An answer is a delta: ``image``/``video`` records add or replace entries by id,
``deletedImage``/``deletedVideo`` tombstones withdraw them. Kavach applies a file on
top of the list's current version, so deletions are honoured.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from kavach.errors import FormatError
from kavach.hashsets import digests
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext, text_head
from kavach.hashsets.model import Algorithm, Deletion, ParsedEntry

_RECORDS = {"image", "video", "deletedimage", "deletedvideo"}
_FINGERPRINTS = {
    "md5": Algorithm.MD5,
    "sha1": Algorithm.SHA1,
    "sha256": Algorithm.SHA256,
    "pdq": Algorithm.PDQ,
}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class NcmecXmlFormat(HashsetFormat):
    name = "ncmec"
    description = "NCMEC hash-sharing XML entries (with deletions)"
    default_scheme = "industry"
    incremental = True

    def sniff(self, head: bytes, path: Path) -> int:
        text = text_head(head[:4096])
        if "<queryResult" in text or ("<images" in text and "<fingerprints" in text):
            return 90
        return 0

    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        count = 0
        try:
            for _event, element in iterparse(str(path), events=("end",)):
                tag = _local(element.tag).lower()
                if tag not in _RECORDS:
                    continue
                count += 1
                yield _record(element, tag, f"{tag} record {count}", context)
                element.clear()
        except ParseError as exc:
            line, column = exc.position
            raise FormatError(
                context.source, f"line {line}, column {column}", f"broken XML: {exc}"
            ) from None
        except DefusedXmlException as exc:
            # A DTD or entity could expand into gigabytes ("billion laughs") or read
            # local files: such a list is refused whole.
            where = _dtd_place(exc)
            raise FormatError(
                context.source,
                where,
                "entities and DTDs are not allowed in a hash list; ask the sender "
                "for a plain export",
            ) from None
        if count == 0:
            context.warn("queryResult", "no image or video records")


def _child_text(element: Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _record(
    element: Element, tag: str, where: str, context: ParseContext
) -> ParsedEntry | Deletion:
    partner_id = _child_text(element, "id")
    if partner_id is None:
        raise FormatError(context.source, where, "record without <id>")
    if tag.startswith("deleted"):
        return Deletion(where, partner_id)
    entry = ParsedEntry(
        where=where,
        partner_id=partner_id,
        category=_child_text(element, "classification"),
        media_type=tag,
    )
    for child in element:
        local = _local(child.tag)
        if local == "member":
            entry.attributes["member_id"] = child.get("id", "")
            entry.attributes["member"] = (child.text or "").strip()
        if local != "fingerprints":
            continue
        for fingerprint in child:
            algorithm = _FINGERPRINTS.get(_local(fingerprint.tag).lower())
            if algorithm is not None and (fingerprint.text or "").strip():
                value = digests.normalize(
                    fingerprint.text or "",
                    algorithm,
                    context.source,
                    f"{where}, {algorithm.value}",
                )
                setattr(entry, algorithm.value, value)
    if not entry.digests():
        context.warn(where, "no fingerprint Kavach can match (e.g. PhotoDNA only)")
    return entry


def _dtd_place(error: DefusedXmlException) -> str | None:
    """ "line N" where defusedxml found the forbidden declaration, if it says."""
    line = getattr(error, "line", None)
    return f"line {line}" if line else None
