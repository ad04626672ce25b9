"""Path specs: where a file lies, as one value from the scanned root down.

A ``PathSpec`` is a chain, like dfVFS's: a path relative to the scanned root, then
a member of an archive, a volume of a disk image, a file in that volume's file
system, a member of an archive inside that file, and so on. Names are raw bytes, so
a file whose name is not UTF-8 keeps its exact name.

Three forms, and these methods are the only way to make or read them:

- ``display()``: what reports and CSVs show, relative to the scanned root:
  ``a.zip!/b.jpg``, ``disk.E01#p2:/Users/x/a.jpg``, ``disk.E01#p2:$Carved/512.jpg``;
  undecodable bytes (and NUL) are written ``\\xNN``.
- ``raw()``: the same joined as bytes, kept exact in ``path_bytes``.
- ``encode()`` / ``PathSpec.decode()``: an unambiguous byte form that round-trips any
  names, even ones holding ``!/``, ``#``, ``:`` or newlines (stored in ``spec``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kavach.evidence.pickling import plain_pickle


class Layer(StrEnum):
    """What a name in the chain names, and how it is joined to its parent."""

    FILE = "file"  # relative to the scanned root; only ever at the top
    MEMBER = "member"  # inside an archive: "!/" + name
    VOLUME = "volume"  # a partition of a disk image: "#" + name ("p2")
    FS = "fs"  # inside a volume's file system: ":" + name ("/x.jpg", "$Carved/1.jpg")


_JOINERS = {Layer.FILE: b"", Layer.MEMBER: b"!/", Layer.VOLUME: b"#", Layer.FS: b":"}
_CODES = {Layer.FILE: b"F", Layer.MEMBER: b"M", Layer.VOLUME: b"V", Layer.FS: b"S"}
_LAYERS = {code: layer for layer, code in _CODES.items()}
SEPARATOR = _JOINERS[Layer.MEMBER]


@plain_pickle
@dataclass(frozen=True, slots=True)
class PathSpec:
    """One link of the chain: ``name`` at ``layer`` inside ``parent``."""

    layer: Layer
    name: bytes
    parent: PathSpec | None = None

    def __post_init__(self) -> None:
        if (self.layer is Layer.FILE) != (self.parent is None):
            raise ValueError("a FILE spec is the top of a chain, and only it")

    @classmethod
    def file(cls, relative: bytes) -> PathSpec:
        """A file (or folder) at ``relative`` below the scanned root."""
        return cls(Layer.FILE, relative)

    def child(self, layer: Layer, name: bytes) -> PathSpec:
        """``name`` at ``layer`` inside this spec (a member, a volume, a file)."""
        return PathSpec(layer, name, self)

    def descend(self, name: bytes) -> PathSpec:
        """``name`` below this spec in the same layer (a path joined with ``/``)."""
        if not self.name:
            joined = name
        else:
            joined = self.name.rstrip(b"/") + b"/" + name.lstrip(b"/")
        return PathSpec(self.layer, joined, self.parent)

    def with_name(self, name: bytes) -> PathSpec:
        """The same place in the chain under another name (an original path)."""
        return PathSpec(self.layer, name, self.parent)

    def up_to(self, layer: Layer) -> PathSpec | None:
        """The nearest spec of ``layer`` from here up (itself included)."""
        spec: PathSpec | None = self
        while spec is not None and spec.layer is not layer:
            spec = spec.parent
        return spec

    def chain(self) -> list[PathSpec]:
        """The specs from the top of the chain down to this one."""
        links: list[PathSpec] = []
        spec: PathSpec | None = self
        while spec is not None:
            links.append(spec)
            spec = spec.parent
        return links[::-1]

    def raw(self) -> bytes:
        """The display form as exact bytes (``path_bytes``)."""
        if self.parent is None:  # a file of the folder: most of a phone's records
            return self.name
        return b"".join(_JOINERS[s.layer] + s.name for s in self.chain())

    def display(self) -> str:
        """Text for reports and CSV; undecodable bytes become ``\\xNN``, and so
        does NUL, which no text column of PostgreSQL can hold."""
        text = self.raw().decode("utf-8", errors="backslashreplace")
        return text.replace("\0", "\\x00") if "\0" in text else text

    def is_utf8(self) -> bool:
        """Whether this link's own name is valid UTF-8."""
        return is_utf8(self.name)

    def encode(self) -> bytes:
        """An unambiguous byte form; ``PathSpec.decode`` reads it back."""
        if self.parent is None:
            return _CODES[self.layer] + _escape(self.name)
        return b"\0".join(_CODES[s.layer] + _escape(s.name) for s in self.chain())

    @classmethod
    def decode(cls, data: bytes) -> PathSpec:
        spec: PathSpec | None = None
        for part in data.split(b"\0"):
            layer = _LAYERS.get(part[:1])
            if layer is None:
                raise ValueError(f"not an encoded path spec: {data[:60]!r}")
            spec = PathSpec(layer, _unescape(part[1:]), spec)
        assert spec is not None
        return spec

    def __str__(self) -> str:
        return self.display()


def _escape(name: bytes) -> bytes:
    return name.replace(b"\\", b"\\\\").replace(b"\0", b"\\0")


def _unescape(name: bytes) -> bytes:
    out = bytearray()
    position = 0
    while position < len(name):
        byte = name[position : position + 1]
        if byte == b"\\":
            following = name[position + 1 : position + 2]
            if following not in (b"\\", b"0"):
                raise ValueError("bad escape in an encoded path spec")
            out += b"\0" if following == b"0" else b"\\"
            position += 2
        else:
            out += byte
            position += 1
    return bytes(out)


def is_utf8(name: bytes) -> bool:
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def clean_member_name(name: bytes) -> bytes:
    """An archive member's name made relative and unable to climb out of the archive.

    Leading ``/`` is dropped and ``..`` never rises above the archive's root, so
    ``/etc/x`` becomes ``etc/x`` and ``../../x`` becomes ``x``.
    """
    text = name.replace(b"\\", b"/") if b"/" not in name else name
    parts: list[bytes] = []
    for part in text.split(b"/"):
        if part in (b"", b"."):
            continue
        if part == b"..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return b"/".join(parts) or b"_"
