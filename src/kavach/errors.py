"""The exception tree of Kavach.

Every error a user can cause is a ``KavachError``; each class knows the HTTP status
and the CLI exit code it maps to, so adapters never guess::

    KavachError
    ├── ConfigError                 settings that cannot work
    ├── NotFoundError               a scan run, list or record that does not exist
    ├── InputError                  bad input a user supplied
    │   ├── FormatError             a file not what it claims (names line/record)
    │   └── UnknownFormatError      no registered format recognises the file
    │   └── NoListsError            a scan with no list to match (--allow-empty)
    ├── EvidenceError               evidence that cannot be opened at all
    │   ├── VerificationError       an image whose hashes do not match
    │   └── NoFilesError            a scan that found no file (--allow-empty)
    ├── StorageError                the database refused or is out of date
    ├── AuthenticationError         a login, session or token that proves no one
    │   └── CodeRequiredError       right password; the authenticator code is missing
    ├── PermissionDeniedError       someone known, asking for what their role forbids
    └── TooManyAttemptsError        too many sign-ins from one address (429)
"""

from __future__ import annotations


class KavachError(Exception):
    """Base of every error Kavach raises on purpose."""

    http_status = 500
    exit_code = 1


class ConfigError(KavachError):
    """A setting is missing or cannot work."""

    exit_code = 78


class NotFoundError(KavachError):
    """A requested record does not exist."""

    http_status = 404
    exit_code = 4


class InputError(KavachError):
    """Input supplied by a user is unusable."""

    http_status = 400
    exit_code = 2


class FormatError(InputError):
    """A file does not follow its format; the message names where it breaks."""

    def __init__(self, source: str, where: str | None, reason: str) -> None:
        self.source = source
        self.where = where
        self.reason = reason
        place = f"{source}, {where}" if where else source
        super().__init__(f"{place}: {reason}")


class UnknownFormatError(InputError):
    """No registered format recognises a file."""


class NoListsError(InputError):
    """A scan was asked for with no hash list to match: it could only say 0 hits."""

    exit_code = 7


class EvidenceError(KavachError):
    """An exhibit cannot be opened at all (a single unreadable file is a warning)."""

    http_status = 422
    exit_code = 3


class VerificationError(EvidenceError):
    """A forensic image failed an integrity check (recorded; loud, not fatal)."""

    exit_code = 6


class StorageError(KavachError):
    """The database cannot be used."""

    http_status = 503
    exit_code = 5


class NoFilesError(EvidenceError):
    """A scan found no file at all: "0 hits" would say nothing."""

    exit_code = 8


class AuthenticationError(KavachError):
    """A login, session or API token that does not prove who is asking.

    One message for an unknown name, a wrong password and a disabled account, so a
    caller cannot tell which; a locked account says until when.
    """

    http_status = 401
    exit_code = 77  # sysexits EX_NOPERM, beside 78 EX_CONFIG


class CodeRequiredError(AuthenticationError):
    """The password was right; the account has TOTP and no code came with it (a
    login form then asks for the code)."""


class PermissionDeniedError(KavachError):
    """A known user asking for something their role or token scope does not allow."""

    http_status = 403
    exit_code = 77


class TooManyAttemptsError(KavachError):
    """Too many sign-in attempts from one address in a minute: wait and retry."""

    http_status = 429
    exit_code = 75  # sysexits EX_TEMPFAIL
