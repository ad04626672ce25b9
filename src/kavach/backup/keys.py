"""Where a backup's key comes from: a key file (HKDF) or a passphrase (scrypt)."""

from __future__ import annotations

import os
import secrets
import stat
import unicodedata
from pathlib import Path
from typing import Literal, NoReturn

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kavach.errors import InputError

KdfName = Literal["hkdf-sha256", "scrypt"]

KEY_BYTES = 32
MIN_KEY_FILE_BYTES = 32
# A key file is a few dozen bytes; a larger one is almost surely the wrong file.
MAX_KEY_FILE_BYTES = 4096
MIN_PASSPHRASE_CHARS = 12
HKDF_INFO = b"kavach-backup v1"
# 32 MiB of memory and about a tenth of a second per guess on a server.
SCRYPT_PARAMS: dict[str, int] = {"n": 2**15, "r": 8, "p": 1}


class KeySource:
    """The secret a backup is sealed with, and how a 32-byte key is drawn from it.

    The secret itself is held, not a derived key, because every backup has its own
    random salt. It never appears in ``repr``, ``str`` or any message Kavach writes,
    and a ``KeySource`` refuses to be pickled (a pickle would carry it to disk).
    Make one with :meth:`key_file` or :meth:`passphrase`.
    """

    __slots__ = ("_label", "_secret", "kdf")

    def __init__(self, kdf: KdfName, secret: bytes, label: str) -> None:
        self.kdf: KdfName = kdf
        self._secret = secret
        self._label = label

    @classmethod
    def key_file(cls, path: Path | str) -> KeySource:
        """A key file of at least 32 random bytes that only its owner can read."""
        path = Path(path)
        return cls("hkdf-sha256", _read_key_file(path), f"key file {str(path)!r}")

    @classmethod
    def passphrase(cls, text: str) -> KeySource:
        """A passphrase of at least 12 characters (stretched with scrypt)."""
        if len(text) < MIN_PASSPHRASE_CHARS:
            raise InputError(
                f"passphrase is shorter than {MIN_PASSPHRASE_CHARS} characters"
            )
        # NFC, so the same passphrase typed on another keyboard or system still opens.
        normalised = unicodedata.normalize("NFC", text).encode("utf-8")
        return cls("scrypt", normalised, "passphrase")

    def kdf_params(self) -> dict[str, int | str]:
        """What the public header records about the derivation (never the secret)."""
        if self.kdf == "scrypt":
            return dict(SCRYPT_PARAMS)
        return {"info": HKDF_INFO.decode("ascii")}

    def derive(self, salt: bytes) -> bytes:
        """The 32-byte AES key for the backup with this salt."""
        if self.kdf == "scrypt":
            return Scrypt(salt=salt, length=KEY_BYTES, **SCRYPT_PARAMS).derive(
                self._secret
            )
        hkdf = HKDF(
            algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=HKDF_INFO
        )
        return hkdf.derive(self._secret)

    def __repr__(self) -> str:
        return f"KeySource({self._label})"

    def __reduce__(self) -> NoReturn:
        raise TypeError("a KeySource cannot be pickled: it holds a secret")


def new_key_file(path: Path | str) -> None:
    """Write 32 random bytes to a new file only its owner can read; never overwrite."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputError(f"key file already exists, not overwriting: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot create key file {path}: {exc.strerror}") from None
    try:
        os.fchmod(fd, 0o600)  # the umask may only narrow the mode; make it exact
        os.write(fd, secrets.token_bytes(KEY_BYTES))
    finally:
        os.close(fd)


def _read_key_file(path: Path) -> bytes:
    """The key file's bytes, after checking who can read it and how long it is."""
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise InputError(f"key file is not a regular file: {path}")
            if info.st_mode & 0o077:
                raise InputError(f"key file is readable by others: chmod 600 {path}")
            secret = handle.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read key file {path}: {exc.strerror}") from None
    if len(secret) < MIN_KEY_FILE_BYTES:
        raise InputError(f"key file is shorter than {MIN_KEY_FILE_BYTES} bytes: {path}")
    if len(secret) > MAX_KEY_FILE_BYTES:
        raise InputError(
            f"key file is longer than {MAX_KEY_FILE_BYTES} bytes (the wrong file?): "
            f"{path}"
        )
    return secret
