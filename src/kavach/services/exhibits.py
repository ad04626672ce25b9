"""Registering forensic images and checking their integrity."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kavach.audit.ports import AuditLog
from kavach.errors import InputError, NotFoundError
from kavach.evidence.intake import (
    Check,
    ImageFacts,
    RegisteredImage,
    intake_checks,
    read_image,
    recheck,
)
from kavach.evidence.ports import ImageRepository

OnBytes = Callable[[int, int], None]


@dataclass(frozen=True)
class Intake:
    """What registering an image found: its facts and the checks made."""

    image: RegisteredImage
    facts: ImageFacts
    checks: list[Check]
    again: bool = False  # registered before: checked against the first intake

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


RAW_SUFFIXES = (".dd", ".raw", ".img", ".001", ".bin", ".iso")


def refuse_non_image(path: Path) -> None:
    """``InputError`` for a file that is plainly not a disk image (a picture).

    A file with a raw image's name is accepted even when nothing in it is
    recognised: a damaged image must still be registered and hashed.
    """
    from kavach.evidence.sources.image_formats import Look
    from kavach.evidence.sources.images import compressed_disk, formats, looks_like_disk

    if not path.is_file() or path.name.lower().endswith(RAW_SUFFIXES):
        return  # read_image says what is wrong with a missing file
    look = Look.of_file(os.fsencode(path))
    with path.open("rb") as handle:
        head = handle.read(4096)
        if len(head) == 4096:
            handle.seek(0x8001)  # ISO 9660's mark
            head = head.ljust(0x8001, b"\0") + handle.read(8)
        compressed = compressed_disk(head, handle)
    if not (formats().detect(look) or compressed or looks_like_disk(head)):
        raise InputError(
            f"{path}: not a disk image (no image format, partition table or file "
            "system Kavach reads); scan it as a file instead"
        )


class ExhibitService:
    def __init__(self, images: ImageRepository, audit: AuditLog) -> None:
        self._images = images
        self._audit = audit

    def add_image(
        self,
        path: Path,
        case_ref: str | None,
        label: str | None,
        actor: str,
        on_bytes: OnBytes | None = None,
    ) -> Intake:
        """Hash ``path`` (read-only), record it, verify an E01's stored hashes.

        A failed check is recorded and audited; the caller decides how loud to be.
        An image registered before is checked against its first intake: a changed
        image fails the check, and is never registered a second time.
        """
        refuse_non_image(path)
        earlier = self._images.find(str(path.resolve()))
        facts = read_image(path, on_bytes)
        registered = self._images.register(facts, case_ref, label or path.name, actor)
        checks = intake_checks(facts)
        if earlier is not None:
            checks = [*checks, Check("sha256", earlier.sha256, facts.sha256)]
        self._images.record_checks(registered.id, "intake", checks)
        self._audit.record(
            actor,
            "exhibit.add",
            facts.path,
            {
                "kind": facts.kind,
                "sha256": facts.sha256,
                "case": case_ref,
                "checks": {c.algorithm: c.ok for c in checks},
            },
        )
        return Intake(registered, facts, checks, again=earlier is not None)

    def verify_image(
        self,
        path: Path,
        actor: str,
        on_bytes: OnBytes | None = None,
        scan_id: str | None = None,
    ) -> list[Check]:
        """Check a registered image again; recorded and audited."""
        registered = self._images.find(str(path.resolve()))
        if registered is None:
            raise NotFoundError(f"{path}: not a registered image (kavach exhibit add)")
        return self._verify(registered, actor, on_bytes, scan_id)

    def images_under(self, root: str) -> list[RegisteredImage]:
        return self._images.under(root)

    def verify_registered(
        self,
        image: RegisteredImage,
        actor: str,
        on_bytes: OnBytes | None = None,
        scan_id: str | None = None,
    ) -> list[Check]:
        """Check ``image`` again (after a scan when ``scan_id`` is given)."""
        return self._verify(image, actor, on_bytes, scan_id)

    def _verify(
        self,
        image: RegisteredImage,
        actor: str,
        on_bytes: OnBytes | None,
        scan_id: str | None,
    ) -> list[Check]:
        checks = recheck(image, read_image(Path(image.path), on_bytes))
        stage = "after-scan" if scan_id else "manual"
        self._images.record_checks(image.id, stage, checks, scan_id)
        self._audit.record(
            actor,
            "exhibit.verify",
            image.path,
            {
                "stage": stage,
                "scan": scan_id,
                "checks": {c.algorithm: c.ok for c in checks},
            },
        )
        return checks
