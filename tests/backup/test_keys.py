"""Key files and passphrases: refusals that name the file, and a secret never shown."""

from __future__ import annotations

import os
import pickle
import stat
import unicodedata
from pathlib import Path

import pytest

from kavach.backup.container import open_backup, write_backup
from kavach.backup.keys import KeySource, new_key_file
from kavach.errors import FormatError, InputError, KavachError

# Printable, so a leak into any message or repr would be easy to see.
SECRET = b"K3Y-MATERIAL-do-not-print-0123456789abcdef"
PASSPHRASE = "tiger paper lantern 7741"


def _key_file(tmp_path: Path, content: bytes = SECRET, mode: int = 0o600) -> Path:
    path = tmp_path / "unit.key"
    path.write_bytes(content)
    path.chmod(mode)
    return path


def _refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        KeySource.key_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert SECRET.decode()[:12] not in message
    return message


def test_new_key_file_is_32_random_bytes_only_its_owner_reads(tmp_path: Path) -> None:
    path = tmp_path / "new.key"
    new_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_bytes()) == 32
    new_key_file(tmp_path / "other.key")
    assert path.read_bytes() != (tmp_path / "other.key").read_bytes()
    assert KeySource.key_file(path).kdf == "hkdf-sha256"


def test_new_key_file_never_overwrites(tmp_path: Path) -> None:
    path = _key_file(tmp_path)
    with pytest.raises(InputError, match="already exists") as caught:
        new_key_file(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == SECRET


def test_a_missing_key_file_is_named(tmp_path: Path) -> None:
    assert "cannot read key file" in _refusal(tmp_path / "absent.key")


def test_a_folder_is_not_a_key_file(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    assert "cannot read key file" in _refusal(folder)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_key_file_is_named(tmp_path: Path) -> None:
    assert "cannot read key file" in _refusal(_key_file(tmp_path, mode=0o000))


def test_a_short_key_file_is_refused(tmp_path: Path) -> None:
    message = _refusal(_key_file(tmp_path, SECRET[:31]))
    assert "shorter than 32 bytes" in message


def test_a_huge_key_file_is_refused(tmp_path: Path) -> None:
    assert "longer than 4096 bytes" in _refusal(_key_file(tmp_path, SECRET * 100))


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660])
def test_a_key_file_others_can_read_is_refused(tmp_path: Path, mode: int) -> None:
    message = _refusal(_key_file(tmp_path, mode=mode))
    assert "key file is readable by others: chmod 600" in message


def test_a_short_passphrase_is_refused_without_echoing_it() -> None:
    with pytest.raises(InputError, match="shorter than 12 characters") as caught:
        KeySource.passphrase("hunter2-abc")
    assert "hunter2" not in str(caught.value)


def test_the_secret_is_in_no_repr_str_or_pickle(tmp_path: Path) -> None:
    from_file = KeySource.key_file(_key_file(tmp_path))
    from_text = KeySource.passphrase(PASSPHRASE)
    derived = from_file.derive(b"\0" * 16)
    for source in (from_file, from_text):
        for shown in (repr(source), str(source), f"{source}", repr([source])):
            assert SECRET.decode() not in shown and PASSPHRASE not in shown
            assert derived.hex() not in shown
        with pytest.raises(TypeError, match="cannot be pickled"):
            pickle.dumps(source)
    assert repr(from_text) == "KeySource(passphrase)"
    assert "unit.key" in repr(from_file)


def test_no_message_of_a_failed_restore_holds_the_secret(tmp_path: Path) -> None:
    part = tmp_path / "part"
    part.write_bytes(b"payload")
    backup = tmp_path / "backup.kbk"
    with backup.open("wb") as out:
        write_backup(out, {}, [("part", part)], KeySource.passphrase(PASSPHRASE))
    wrong = KeySource.passphrase(PASSPHRASE + " but wrong")
    attempts = [wrong, KeySource.key_file(_key_file(tmp_path)), None]
    for number, key in enumerate(attempts):
        with pytest.raises(KavachError) as caught:
            open_backup(backup, key, tmp_path / f"out{number}")
        shown = f"{caught.value!s} {caught.value!r} {caught.value.args!r}"
        assert PASSPHRASE not in shown and SECRET.decode() not in shown
    assert isinstance(caught.value, InputError)
    assert not isinstance(caught.value, FormatError)


def test_derivation_depends_on_the_salt_and_is_stable(tmp_path: Path) -> None:
    source = KeySource.key_file(_key_file(tmp_path))
    first, second = source.derive(b"a" * 16), source.derive(b"b" * 16)
    assert len(first) == 32 and first != second
    assert source.derive(b"a" * 16) == first
    assert SECRET not in first


def test_a_passphrase_typed_composed_or_decomposed_opens_the_same() -> None:
    composed = "café au lait, s'il vous plaît"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    salt = b"s" * 16
    assert KeySource.passphrase(composed).derive(salt) == KeySource.passphrase(
        decomposed
    ).derive(salt)
    assert KeySource.passphrase(composed).kdf_params() == {"n": 2**15, "r": 8, "p": 1}
