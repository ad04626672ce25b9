"""The papers a court asks for: the exhibit's examination report (HTML or PDF),
the BSA 2023 s.63 certificate, and the BNSS s.193(3)(i) custody annex."""

from __future__ import annotations

import csv
import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from kavach import __version__
from kavach.audit.ports import AuditLog
from kavach.cases.records import CustodyEntry
from kavach.errors import InputError
from kavach.examination.papers import DeviceRow, ExhibitRef, PaperQueries
from kavach.examination.survey import survey_files
from kavach.examination.tool_rules import ToolRules
from kavach.reporting.certificate import CertificateData, DeviceIdentity, HashLine
from kavach.reporting.custody_annex import (
    CustodyAnnexData,
    CustodyStepRow,
    DeviceCustody,
)
from kavach.reporting.exhibit_report import render_exhibit_report
from kavach.reporting.outputs import exhibit_report_data, sha256_of, write_csv_outputs
from kavach.reporting.ports import ReportQueries


@dataclasses.dataclass(frozen=True)
class Written:
    """A paper written, its SHA-256, and the files written beside it."""

    path: Path
    sha256: str
    companions: list[Path]


class PaperService:
    def __init__(
        self, papers: PaperQueries, reports: ReportQueries, audit: AuditLog
    ) -> None:
        self._papers = papers
        self._reports = reports
        self._audit = audit

    def exhibit_report(self, ref: str, out: Path, pdf: bool, actor: str) -> Written:
        """The exhibit's report at ``out`` with its CSVs beside it
        (``<stem>.hits.csv`` ...), whose SHA-256 the report lists."""
        exhibit = self._papers.exhibit(ref)
        run_id = _complete_run(exhibit)
        _check_out(out)
        outputs = write_csv_outputs(
            self._reports, run_id, out.parent, prefix=f"{out.stem}."
        )
        device = self._papers.device_of(exhibit.id)
        images = self._papers.images(exhibit.id)
        data = dataclasses.replace(
            exhibit_report_data(self._reports, run_id, outputs),
            device=device,
            custody=self._papers.custody(device.id) if device else [],
            images=images,
            survey=survey_files(
                lambda: self._reports.files(run_id),
                ToolRules.packaged(),
                device_bytes=max((i.media_size for i in images), default=None),
                seized_at=device.seized_at if device else None,
            ),
        )
        html = render_exhibit_report(data)
        if pdf:
            from kavach.reporting.pdf import html_to_pdf

            _write_pdf(out, html_to_pdf(html))
        else:
            out.write_text(html, encoding="utf-8")
        written = Written(out, sha256_of(out), [out.parent / o.name for o in outputs])
        self._audit.record(
            actor,
            "report.exhibit",
            exhibit.label,
            {"scan": run_id, "pdf": pdf, "out": str(out), "sha256": written.sha256},
        )
        return written

    def certificate(self, ref: str, out: Path, actor: str) -> Written:
        """The s.63 certificate as PDF, with its hash report enclosed beside it
        (``<stem>.hash-report.csv``: every file of the exhibit and its hashes)."""
        from kavach.reporting.certificate import render_certificate_pdf

        exhibit = self._papers.exhibit(ref)
        run_id = _complete_run(exhibit)
        _check_out(out)
        hash_report = out.parent / f"{out.stem}.hash-report.csv"
        self._write_hash_report(run_id, hash_report)
        run = self._reports.run(run_id)
        data = CertificateData(
            exhibit_label=exhibit.label,
            case_ref=exhibit.case_ref,
            device=_identity(self._papers.device_of(exhibit.id)),
            hashes=self._hash_lines(exhibit, run.integrity_sha256, run.root),
            hash_report_name=hash_report.name,
            hash_report_sha256=sha256_of(hash_report),
            examined_by=run.started_by,
            lab=None,
            tool=f"Kavach {__version__}",
            generated_at=datetime.now(UTC),
        )
        _write_pdf(out, render_certificate_pdf(data))
        written = Written(out, sha256_of(out), [hash_report])
        self._audit.record(
            actor,
            "report.certificate",
            exhibit.label,
            {"scan": run_id, "out": str(out), "sha256": written.sha256},
        )
        return written

    def custody_annex(self, case_id: int, out: Path, actor: str) -> Written:
        """Every custody step of every device of the case, as PDF."""
        from kavach.reporting.custody_annex import render_custody_annex_pdf

        case = self._papers.case(case_id)
        devices = self._papers.case_devices(case_id)
        if not devices:
            raise InputError(
                f"case {case_id} ({case.number_text}) has no seized device: record "
                "the seizure first ('kavach seizure add --case ...')"
            )
        _check_out(out)
        data = CustodyAnnexData(
            case_number=case.number_text,
            station=case.station,
            sections=case.sections,
            devices=[self._custody(d) for d in devices],
            generated_at=datetime.now(UTC),
            generated_by=actor,
        )
        _write_pdf(out, render_custody_annex_pdf(data))
        written = Written(out, sha256_of(out), [])
        self._audit.record(
            actor,
            "report.custody",
            str(case_id),
            {"devices": len(devices), "out": str(out), "sha256": written.sha256},
        )
        return written

    def _custody(self, device: DeviceRow) -> DeviceCustody:
        steps = [_step(e) for e in self._papers.custody(device.id)]
        integrity = (
            self._papers.integrity(device.exhibit_id) if device.exhibit_id else None
        )
        return DeviceCustody(
            device.label,
            device.device_type,
            device.make,
            device.model,
            device.serial,
            device.imei,
            device.seal_number,
            device.seized_at,
            steps,
            integrity,
        )

    def _hash_lines(
        self, exhibit: ExhibitRef, integrity: str | None, root: str
    ) -> list[HashLine]:
        lines = []
        if integrity:
            lines.append(
                HashLine(
                    f"Exhibit integrity of {root}, as the scan printed it (SHA-256 "
                    "of the file, or of a folder's manifest)",
                    "SHA-256",
                    integrity,
                )
            )
        for image in self._papers.images(exhibit.id):
            name = Path(image.path).name
            what = f"Forensic image {name} ({image.kind}), computed by Kavach"
            lines += [
                HashLine(what, "MD5", image.md5),
                HashLine(what, "SHA-1", image.sha1),
                HashLine(what, "SHA-256", image.sha256),
            ]
            if image.stored_md5:
                stated = f"Forensic image {name}, as its acquisition header states"
                lines.append(HashLine(stated, "MD5", image.stored_md5))
        return lines

    def _write_hash_report(self, run_id: str, path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(["path", "size", "md5", "sha1", "sha256"])
            for row in self._reports.files(run_id):
                writer.writerow([row.path, row.size, row.md5, row.sha1, row.sha256])


def _complete_run(exhibit: ExhibitRef) -> str:
    if exhibit.run_id is None:
        raise InputError(
            f"exhibit {exhibit.label!r} has no complete scan: scan it (or resume the "
            "scan) before its papers are made"
        )
    return exhibit.run_id


def _check_out(out: Path) -> None:
    if out.is_dir():
        raise InputError(f"--out {out}: a folder is there; give a file name")
    out.parent.mkdir(parents=True, exist_ok=True)


def _write_pdf(out: Path, pdf: bytes) -> None:
    from kavach.reporting.pdf import pdf_image_count

    # The hard line, checked on the bytes themselves: a paper holds no image.
    if pdf_image_count(pdf):
        raise InputError(f"{out}: the paper came out with an image in it; not written")
    out.write_bytes(pdf)


def _identity(device: DeviceRow | None) -> DeviceIdentity:
    if device is None:
        return DeviceIdentity("Other", None, None, None, None, [], None, None)
    return DeviceIdentity(
        device.device_type,
        device.make,
        device.model,
        device.serial,
        device.imei,
        [],
        device.owner,
        device.seal_number,
    )


def _step(entry: CustodyEntry) -> CustodyStepRow:
    return CustodyStepRow(
        entry.at,
        entry.step,
        entry.by,
        entry.place,
        entry.remarks,
        entry.recorded_by,
        entry.recorded_at,
    )
