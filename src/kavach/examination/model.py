"""What a tool rule says and what a finding of one records.

A rule names a piece of software an examiner wants to know was on a seized device
(a wiper, stalkerware, Tor, an encrypted-volume tool) and the names it leaves in a
file system. Rules are data (``data/tool_rules.toml``); this module holds only the
shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ToolCategory(StrEnum):
    """Why an examiner wants to know about a tool; each answers a question in court.

    The list is kept short on purpose: a category earns its place only where it
    changes what the examiner writes or does next.
    """

    # Overwrites a whole disk, partition or all free space: data may be gone for good.
    WIPER = "wiper"
    # Overwrites chosen files so they cannot be recovered or carved.
    SECURE_DELETE = "secure-delete"
    # Removes traces of use (histories, caches, logs, recent-file lists).
    ANTI_FORENSICS = "anti-forensics"
    # Hidden monitoring of another person's phone: messages, location, camera.
    STALKERWARE = "stalkerware"
    # Control of a device from elsewhere (screen, files, camera); a defence may say
    # "someone else did it", and the examiner must be able to answer.
    REMOTE_ACCESS = "remote-access"
    # Tor: onion services and hidden origin of traffic.
    TOR = "tor"
    # Hides data inside pictures or sound.
    STEGANOGRAPHY = "steganography"
    # Encrypted volumes, containers and files the examiner cannot read without a key.
    DISK_ENCRYPTION = "disk-encryption"
    # A VPN or circumvention proxy: a tip's IP address then leads to the provider,
    # not the subscriber, which changes the ISP request.
    VPN = "vpn"


# Where this category's tools count as signs that a device was cleaned.
CLEANING_CATEGORIES = frozenset(
    {ToolCategory.WIPER, ToolCategory.SECURE_DELETE, ToolCategory.ANTI_FORENSICS}
)


class Platform(StrEnum):
    """The system a rule's tool runs on; it decides which matchers a rule may use."""

    ANDROID = "android"
    WINDOWS = "windows"
    IOS = "ios"
    MACOS = "macos"
    LINUX = "linux"


class Trace(StrEnum):
    """What kind of trace a finding is: presence of a program, or that it ran."""

    APK = "apk"  # an installed package's folder (/data/app/<pkg>-...), or <pkg>.apk
    APP_DATA = "app data"  # the package's data folder (/data/data/<pkg>, ...)
    PROGRAM = "program"  # an executable file of that name
    PREFETCH = "prefetch"  # Windows/Prefetch/<EXE>-<hash>.pf: the program was run
    IOS_APP = "ios app"  # an iOS backup domain of the app (AppDomain-<bundle>)
    PATH = "path"  # a path_glob matched (an install folder, a boot image)


@dataclass(frozen=True, slots=True)
class ToolRule:
    """One tool and the names it leaves; ``id`` is stable across releases."""

    id: str  # "<platform>.<name>": "android.tor-browser"
    name: str  # "Tor Browser for Android"
    category: ToolCategory
    platform: Platform
    android_packages: tuple[str, ...] = ()  # exact package names, case kept
    windows_programs: tuple[str, ...] = ()  # file names, compared case-insensitively
    ios_bundles: tuple[str, ...] = ()  # bundle ids, as backup domains show them
    path_globs: tuple[str, ...] = ()  # runs of path names; "*" and "?" within a name
    note: str | None = None
    source: str = ""  # the rules file (and its revision) the rule came from

    def matchers(self) -> tuple[str, ...]:
        """Every name the rule matches by, in file order."""
        return (
            *self.android_packages,
            *self.windows_programs,
            *self.ios_bundles,
            *self.path_globs,
        )


@dataclass(frozen=True, slots=True)
class ToolFinding:
    """A rule found at a path: what matched, how, and where.

    ``path`` is the trace itself in Kavach's display form, cut after the matching
    name: the package folder for app data, the program file, the Prefetch file, the
    backup domain. Many files below one folder are therefore one finding.
    """

    rule: ToolRule
    path: str
    trace: Trace
    matched: str  # the package, program, bundle or glob of the rule that matched
