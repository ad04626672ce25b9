"""The words every layer shares: digest algorithms, list roles, entry statuses, and
the states a scan, a warning, a match and a review can be in.

They live here, not in ``hashsets`` or ``matching``, so neither of those packages
has to import the other. Each state is stored as its value, and the database holds a
CHECK constraint listing the values (see ``storage/tables.py``).
"""

from __future__ import annotations

from enum import StrEnum


class Algorithm(StrEnum):
    """Digest algorithms Kavach matches on."""

    MD5 = "md5"
    SHA1 = "sha1"
    SHA256 = "sha256"
    SHA512 = "sha512"  # computed only when a list of the scan carries it
    PDQ = "pdq"
    VPDQ = "vpdq"  # a video: a bag of frame PDQ hashes


# Strongest first: a file matched by several reports the strongest.
EXACT_ALGORITHMS = (Algorithm.SHA512, Algorithm.SHA256, Algorithm.SHA1, Algorithm.MD5)
HEX_LENGTHS = {
    Algorithm.MD5: 32,
    Algorithm.SHA1: 40,
    Algorithm.SHA256: 64,
    Algorithm.SHA512: 128,
    Algorithm.PDQ: 64,
}


class Role(StrEnum):
    """An ``alert`` list names material to find; a ``known`` list ordinary files; a
    ``tool`` list software worth knowing was on a device (wipers, remote-access
    tools, Tor, steganography, disk encryption): its hits are shown apart from
    material and never counted as material."""

    ALERT = "alert"
    KNOWN = "known"
    TOOL = "tool"


class Status(StrEnum):
    """Kavach's own reading of a partner's category, whatever the scheme."""

    ALERT = "alert"
    REVIEW = "review"
    IGNORABLE = "ignorable"
    UNKNOWN = "unknown"


class ScanStatus(StrEnum):
    """Where a scan run stands; only ``complete`` runs have their integrity hash."""

    RUNNING = "running"
    INTERRUPTED = "interrupted"
    COMPLETE = "complete"


class WarningStage(StrEnum):
    """The step of a scan at which something could not be read."""

    WALK = "walk"  # listing: a folder, a volume or a file system
    NAME = "name"  # a name that is not UTF-8 (kept as raw bytes)
    READ = "read"  # a file's content
    ARCHIVE = "archive"  # an archive or one of its members
    DECODE = "decode"  # a picture or a video
    REPORT = "report"  # an extraction report (UFDR) disagrees or is unreadable
    INTERNAL = "internal"  # a fault in Kavach itself; the scan went on
    # A disk image, volume or file system not read (or read with 0 files):
    # counted apart as "containers not read", never a silent zero.
    CONTAINER = "container"


class MatchType(StrEnum):
    EXACT = "exact"
    PERCEPTUAL = "perceptual"


class PdqSource(StrEnum):
    """Which decode a stored PDQ hash came from."""

    REFERENCE = "reference"  # full-size decode, as the reference implementation
    FAST = "fast"  # a reduced JPEG decode (triage; never decides a match)


class Review(StrEnum):
    """An examiner's decision on a hit."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class AgeBand(StrEnum):
    """The examiner's assessment of the youngest person shown (exact values: the
    unit's statistics and the court papers count by them)."""

    UNDER_6 = "0-5"
    FROM_6 = "6-10"
    FROM_11 = "11-15"
    FROM_16 = "16-17"
    ADULT = "adult"
    UNKNOWN = "unknown"


def check_values(enum: type[StrEnum]) -> str:
    """The SQL list of an enum's values, for a CHECK constraint."""
    return ", ".join(f"'{member.value}'" for member in enum)


# Below this PDQ quality a hash says too little to match on (ThreatExchange's floor).
# ``KAVACH_PDQ_MIN_QUALITY`` overrides it for scans and for vPDQ list imports alike.
DEFAULT_PDQ_MIN_QUALITY = 50
