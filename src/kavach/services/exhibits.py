"""Registering forensic images and checking their integrity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kavach.audit.ports import AuditLog
from kavach.errors import VerificationError
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

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


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
        """
        facts = read_image(path, on_bytes)
        registered = self._images.register(facts, case_ref, label or path.name, actor)
        checks = intake_checks(facts)
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
        return Intake(registered, facts, checks)

    def verify_image(
        self,
        path: Path,
        actor: str,
        on_bytes: OnBytes | None = None,
        scan_id: str | None = None,
    ) -> list[Check]:
        """Check a registered image again; recorded and audited."""
        registered = self._images.under(str(path.resolve()))
        if not registered:
            raise VerificationError(f"{path}: not registered (kavach exhibit add)")
        return self._verify(registered[0], actor, on_bytes, scan_id)

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
