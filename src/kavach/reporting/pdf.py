"""Court papers: HTML from the paper templates, a PDF from that HTML, and the check
that a PDF holds no image at all.

A paper carries hashes and metadata only. Three locks keep pictures out of it:
``html_to_pdf`` refuses HTML that names an image before WeasyPrint sees it, the
fetcher it hands WeasyPrint refuses every URL (so nothing is ever loaded, from the
disk, the network or a ``data:`` URI), and the finished PDF is counted for image
objects and refused unless the count is zero. The papers service runs
``pdf_image_count`` once more before it writes a file.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from kavach import __version__

__all__ = ["html_to_pdf", "paper_time", "pdf_image_count", "render_paper_html"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # fmt: skip

# Markup that shows or loads a picture, a frame or a resource. Text in a paper is
# autoescaped, so a literal "<img" can only be markup (or a comment: refused too).
_IMAGE_TAG = re.compile(
    r"<\s*(img|image|svg|picture|source|object|embed|iframe|frame|video|audio|"
    r"canvas|link)(?![\w-])",
    re.IGNORECASE,
)
_LOADING_ATTRIBUTES = frozenset({"src", "srcset", "poster", "background", "data"})
_CSS_LOADS = re.compile(r"url\s*\(|image(?:-set)?\s*\(|@import|data:", re.IGNORECASE)
_CSS_HEX_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?")
_CSS_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def paper_time(value: datetime, time_zone: str = "Asia/Kolkata") -> str:
    """``02 Dec 2026, 09:15 IST``: every time on a paper, in the paper's one zone.

    A time without a zone is refused: a paper must not guess whether it was UTC.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"time {value.isoformat()} has no time zone")
    local = value.astimezone(ZoneInfo(time_zone))
    month = _MONTHS[local.month - 1]
    return f"{local.day:02d} {month} {local.year}, {local:%H:%M} {local.tzname()}"


def render_paper_html(template: str, *, time_zone: str, **context: Any) -> str:
    """A paper template rendered with autoescape, strict names and a ``when`` filter.

    Templates extend ``paper_base.html``, which gives the print layout (A4, running
    header and footer, page numbers) and reads as a plain page in a browser.
    """
    # Imported here so that loading the command line does not load Jinja2.
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=PackageLoader("kavach.reporting", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = lambda value: paper_time(value, time_zone)
    page = environment.get_template(template)
    return page.render(kavach_version=__version__, **context)


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML paper; ValueError if it names an image.

    Refused: image, frame and media tags, ``<link>``, ``src`` / ``srcset`` and other
    loading attributes, ``data:`` URIs, and ``url(...)``, ``image-set(...)`` or
    ``@import`` in CSS. Text content is never checked: it cannot load anything.
    """
    found = _image_references(html)
    if found:
        raise ValueError(f"a paper may not reference images: {', '.join(found)}")
    # Imported here: WeasyPrint loads pango and takes half a second.
    import weasyprint  # type: ignore[import-untyped]
    from weasyprint.urls import FatalURLFetchingError  # type: ignore[import-untyped]

    try:
        pdf: bytes = weasyprint.HTML(
            string=html, base_url=None, url_fetcher=_refusing_fetcher()
        ).write_pdf()
    except FatalURLFetchingError as error:
        raise ValueError(f"a paper may not load anything: {error}") from error
    images = pdf_image_count(pdf)
    if images:
        raise ValueError(f"the rendered paper holds {images} image(s): refused")
    return pdf


def _refusing_fetcher() -> Any:
    """A WeasyPrint fetcher that stops the rendering at the first URL it is given."""
    from weasyprint.urls import URLFetcher

    class RefuseEveryFetch(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(fail_on_errors=True)

        def fetch(self, url: str, headers: object = None) -> Any:
            raise PermissionError(f"papers load nothing: {url[:60]}")

    return RefuseEveryFetch()


class _ReferenceFinder(HTMLParser):
    """Collects loading attributes, ``data:`` values and the CSS of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in _LOADING_ATTRIBUTES:
                self.found.append(f"<{tag} {name}=...>")
            if value and value.strip().lower().startswith("data:"):
                self.found.append(f"data: URI in <{tag} {name}>")
            if name == "style" and value:
                self.css.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css.append(data)


def _image_references(html: str) -> list[str]:
    found = [f"<{m.group(1).lower()}>" for m in _IMAGE_TAG.finditer(html)]
    finder = _ReferenceFinder()
    finder.feed(html)
    finder.close()
    found += finder.found
    for css in finder.css:
        found += [f"CSS {m.group(0).lower()}" for m in _CSS_LOADS.finditer(_plain(css))]
    return list(dict.fromkeys(found))


def _plain(css: str) -> str:
    """CSS with comments dropped and escapes decoded (``u\\72l(`` is ``url(``)."""

    def character(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"

    text = _CSS_COMMENT.sub("", css)
    return _CSS_ESCAPE.sub(r"\1", _CSS_HEX_ESCAPE.sub(character, text))


# --- counting images in a PDF -----------------------------------------------------

_OBJECT = re.compile(rb"\d+\s+\d+\s+obj(?![A-Za-z])")
_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_END_OBJECT = re.compile(rb"(?<![A-Za-z])endobj(?![A-Za-z])")
_END_STREAM = re.compile(rb"endstream(?![A-Za-z])")
_NAME_END = rb"(?![^\s()<>\[\]{}/%])"
_IMAGE_SUBTYPE = re.compile(rb"/Subtype\s*/Image" + _NAME_END)
# BI <key value ...> ID <data> EI: the dictionary of an inline image stays short.
_INLINE_IMAGE = re.compile(rb"(?:^|(?<=[\s\])>}]))BI\s*/.{0,4096}?\sID\s", re.DOTALL)
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s()<>\[\]{}/%]+)")
_FILTER_NAME = re.compile(rb"/([^\s()<>\[\]{}/%]+)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Streams that cannot hold page content: embedded fonts, cross-reference tables,
# XMP metadata. Object streams are searched for image dictionaries instead.
_NOT_CONTENT = re.compile(
    rb"/Length[123]\s|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)"
    + _NAME_END
    + rb"|/Type\s*/(?:XRef|Metadata)"
    + _NAME_END
)
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm" + _NAME_END)


def pdf_image_count(pdf: bytes) -> int:
    """How many images a PDF holds: image XObjects plus inline (``BI``) images.

    Reads the raw objects, inflating FlateDecode (and ASCII hex / 85) streams, so
    it sees into compressed content and object streams. It errs towards a higher
    count, never a lower one: a PDF it cannot read through (encrypted, or a content
    stream in a filter it does not decode) is a ValueError, not a zero.
    """
    if not pdf.lstrip().startswith(b"%PDF-"):
        raise ValueError("not a PDF")
    count = 0
    for head, data in _objects(pdf):
        if b"/Encrypt" in head:
            raise ValueError("an encrypted PDF cannot be checked for images")
        if _IMAGE_SUBTYPE.search(head):
            count += 1
            continue
        if data is None:
            continue
        if _OBJECT_STREAM.search(head):
            objects = _NAME_ESCAPE.sub(_unescape, _decoded(head, data))
            count += len(_IMAGE_SUBTYPE.findall(objects))
        elif not _NOT_CONTENT.search(head):
            count += len(_INLINE_IMAGE.findall(_decoded(head, data)))
    return count


def _objects(pdf: bytes) -> Iterator[tuple[bytes, bytes | None]]:
    """Each indirect object as (dictionary text with names unescaped, stream or None).

    The trailer comes last as a head of its own, for its ``/Encrypt`` entry.
    """
    position = 0
    while match := _OBJECT.search(pdf, position):
        start = match.end()
        stream = _STREAM.search(pdf, start)
        end = _END_OBJECT.search(pdf, start)
        if stream and (end is None or stream.start() < end.start()):
            head = pdf[start : stream.start()]
            data, position = _stream_data(pdf, head, stream.end())
            yield _NAME_ESCAPE.sub(_unescape, head), data
        else:
            stop = end.start() if end else len(pdf)
            yield _NAME_ESCAPE.sub(_unescape, pdf[start:stop]), None
            position = end.end() if end else len(pdf)
    trailer = pdf.rfind(b"trailer")
    if trailer >= 0:
        yield _NAME_ESCAPE.sub(_unescape, pdf[trailer:]), None


def _stream_data(pdf: bytes, head: bytes, start: int) -> tuple[bytes, int]:
    """A stream's bytes and the position after ``endstream``; /Length when it fits."""
    length = _LENGTH.search(head)
    if length:
        stop = start + int(length.group(1))
        after = _END_STREAM.match(pdf, stop + _eol(pdf, stop))
        if stop <= len(pdf) and after:
            return pdf[start:stop], after.end()
    end = _END_STREAM.search(pdf, start)
    stop = end.start() if end else len(pdf)
    return pdf[start:stop], end.end() if end else len(pdf)


def _eol(pdf: bytes, at: int) -> int:
    if pdf[at : at + 2] == b"\r\n":
        return 2
    return 1 if pdf[at : at + 1] in (b"\r", b"\n") else 0


def _decoded(head: bytes, data: bytes) -> bytes:
    filters = _FILTERS.search(head)
    names = _FILTER_NAME.findall(filters.group(1)) if filters else []
    for name in names:
        if name in (b"FlateDecode", b"Fl"):
            try:
                data = zlib.decompressobj().decompress(data)
            except zlib.error as error:
                raise ValueError(f"a damaged FlateDecode stream: {error}") from error
        elif name in (b"ASCIIHexDecode", b"AHx"):
            digits = re.sub(rb"\s", b"", data.split(b">", 1)[0])
            data = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
        elif name in (b"ASCII85Decode", b"A85"):
            text = data.strip().removeprefix(b"<~").split(b"~>", 1)[0]
            data = base64.a85decode(text)
        else:
            raise ValueError(f"cannot look inside a stream with filter {name.decode()}")
    return data


def _unescape(match: re.Match[bytes]) -> bytes:
    return bytes([int(match.group(1), 16)])
