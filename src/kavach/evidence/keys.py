"""Keys the unit obtained for encrypted volumes, held in memory for one scan.

A key is given as ``VOLUME=SECRET`` (``kavach scan --key``, or one a line in a file
named by ``--keys-file``). ``VOLUME`` is a volume's path as reports show it
(``laptop.E01#p2``), an image's path (every encrypted volume in it), or ``*``.
``SECRET`` is a BitLocker recovery password (48 digits in groups of six), the path
of a key file (a BitLocker ``.BEK`` startup key, a LUKS key file), or a passphrase.

Keys never reach the database, a report, a log or an audit entry: ``repr`` hides the
secret, scan settings do not hold them, and only the volume and the kind of key is
recorded (by whom). A resumed scan needs them given again.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kavach.errors import InputError

_RECOVERY = re.compile(r"^\d{6}(?:-\d{6}){7}$")


class KeyKind(StrEnum):
    RECOVERY_PASSWORD = "recovery-password"
    KEY_FILE = "key-file"
    PASSPHRASE = "passphrase"


@dataclass(frozen=True)
class VolumeKey:
    volume: str  # "disk.E01#p2", "disk.E01" (all its volumes) or "*"
    kind: KeyKind
    secret: str = field(repr=False)

    def fits(self, volume: str) -> bool:
        """Whether this key is meant for the volume shown as ``volume``."""
        if self.volume == "*":
            return True
        return volume == self.volume or volume.startswith(self.volume + "#")

    def secret_bytes(self) -> bytes:
        """A passphrase as UTF-8, a key file's content."""
        if self.kind is KeyKind.KEY_FILE:
            return Path(self.secret).read_bytes()
        return self.secret.encode("utf-8")


def parse_key(text: str, where: str = "--key") -> VolumeKey:
    """``VOLUME=SECRET``; the kind is told from the secret's shape."""
    volume, sep, secret = text.partition("=")
    volume = volume.strip()
    if not sep or not volume or not secret:
        raise InputError(f"{where}: give VOLUME=SECRET (the secret is not shown here)")
    if _RECOVERY.match(secret.strip()):
        return VolumeKey(volume, KeyKind.RECOVERY_PASSWORD, secret.strip())
    if os.path.isfile(secret):
        return VolumeKey(volume, KeyKind.KEY_FILE, os.path.abspath(secret))
    return VolumeKey(volume, KeyKind.PASSPHRASE, secret)


def read_keys_file(path: Path) -> list[VolumeKey]:
    """One ``VOLUME=SECRET`` a line; blank lines and ``#`` comments skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: keys file not read ({exc})") from None
    return [
        parse_key(line, f"{path}, line {number}")
        for number, line in enumerate(lines, 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


@dataclass(frozen=True)
class KeyRing:
    """The keys of one scan; hashable, so it can ride in the examiner's config."""

    keys: tuple[VolumeKey, ...] = ()

    def for_volume(self, volume: str) -> list[VolumeKey]:
        """The keys meant for ``volume``, the most specific first."""
        fitting = [k for k in self.keys if k.fits(volume)]
        return sorted(fitting, key=lambda k: (k.volume == "*", -len(k.volume)))

    def described(self) -> list[dict[str, str]]:
        """What the audit log records: which volume, which kind, never the secret."""
        return [{"volume": k.volume, "kind": k.kind.value} for k in self.keys]

    def __bool__(self) -> bool:
        return bool(self.keys)


NO_KEYS = KeyRing()
