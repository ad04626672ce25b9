"""md5sum / sha1sum / sha256sum output, BSD ``SHA256 (f) = x`` lines, bare digests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kavach.errors import FormatError
from kavach.hashsets import digests
from kavach.hashsets.formats import text
from kavach.hashsets.formats.interface import HashsetFormat, ParseContext, text_head
from kavach.hashsets.model import Algorithm, Deletion, ParsedEntry

_GNU = re.compile(
    r"^\\?(?P<hex>[0-9A-Fa-f]{128}|[0-9A-Fa-f]{64}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{32})"
    r"(?:\s+\*?(?P<name>.*))?$"
)
_BSD = re.compile(
    r"^(?P<alg>MD5|SHA1|SHA256|SHA512) \((?P<name>.*)\) = (?P<hex>[0-9A-Fa-f]+)$"
)
_BSD_ALG = {
    "MD5": Algorithm.MD5,
    "SHA1": Algorithm.SHA1,
    "SHA256": Algorithm.SHA256,
    "SHA512": Algorithm.SHA512,
}


class PlainSumFormat(HashsetFormat):
    name = "plain"
    description = "md5sum/sha1sum/sha256sum/sha512sum style lists, or one digest a line"

    def sniff(self, head: bytes, path: Path) -> int:
        lines = [
            ln
            for ln in text_head(head).splitlines()[:20]
            if ln.strip() and not ln.startswith("#")
        ]
        if lines and all(
            _GNU.match(ln.strip()) or _BSD.match(ln.strip())
            for ln in lines[:-1] or lines
        ):
            return 50
        return 0

    def parse(
        self, path: Path, context: ParseContext
    ) -> Iterator[ParsedEntry | Deletion]:
        for number, raw in text.lines(path, context):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            yield _entry(line, f"line {number}", context.source)


def _entry(line: str, where: str, source: str) -> ParsedEntry:
    bsd = _BSD.match(line)
    if bsd:
        algorithm = _BSD_ALG[bsd["alg"]]
        value = digests.normalize(bsd["hex"], algorithm, source, where)
        entry = ParsedEntry(where=where, name=bsd["name"])
    else:
        gnu = _GNU.match(line)
        algorithm_found = digests.algorithm_for_length(gnu["hex"]) if gnu else None
        if gnu is None or algorithm_found is None:
            raise FormatError(source, where, f"not a digest line: {line[:80]!r}")
        algorithm = algorithm_found
        value = gnu["hex"].lower()
        entry = ParsedEntry(where=where, name=(gnu["name"] or None))
    setattr(entry, algorithm.value, value)
    return entry
