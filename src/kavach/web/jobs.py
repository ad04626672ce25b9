"""Hash lists (with an import that runs in the background), scans of the evidence
store, and the pages that follow a background job: its progress is read from the
database, so a reload — or another server process — shows the same."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kavach.access.policy import Permission, allowed
from kavach.api.deps import KavachDep
from kavach.hashsets.importer import ImportOptions
from kavach.services.jobs import ListUpload
from kavach.vocabulary import Role
from kavach.web.casework import Csrf, may
from kavach.web.pages import PageUser, render

router = APIRouter(include_in_schema=False)


def _page(
    request: Request, user: PageUser, name: str, **context: object
) -> HTMLResponse:
    return render(name, 200, user=user, csrf=request.state.csrf, **context)


@router.get("/hashsets")
def lists_page(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.LISTS_READ)
    return _page(
        request,
        user,
        "hashsets.html",
        lists=kavach.services.hashsets.lists(),
        formats=[f.name for f in kavach.services.hashsets.formats()],
        roles=list(Role),
        may_import=allowed(user, Permission.LISTS_WRITE),
    )


@router.post("/hashsets/import")
def import_list(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: Csrf,
    upload: Annotated[UploadFile, File()],
    name: Annotated[str, Form()] = "",
    format: Annotated[str, Form()] = "auto",
    role: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
) -> Response:
    may(request, kavach, user, token, Permission.LISTS_WRITE)
    options = ImportOptions(
        format=format or "auto",
        name=name.strip() or None,
        source=source.strip() or None,
        role=Role(role) if role else None,
    )
    job_id = kavach.services.jobs.start_list_import(
        ListUpload(upload.filename or "list", upload.file, options), user.name
    )
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/scans/new")
def scan_form(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.SCANS_RUN)
    root = kavach.settings.evidence_root
    entries = sorted(p.name for p in root.iterdir()) if root and root.is_dir() else []
    return _page(request, user, "scan_new.html", root=root, entries=entries)


@router.post("/scans/new")
def start_scan(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: Csrf,
    path: Annotated[str, Form()],
    exhibit: Annotated[str, Form()] = "",
    case: Annotated[str, Form()] = "",
) -> Response:
    may(request, kavach, user, token, Permission.SCANS_RUN)
    job_id = kavach.services.jobs.start_scan(
        path, exhibit.strip() or None, case.strip() or None, user.name
    )
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs")
def jobs_page(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    kavach.services.records.require(user, Permission.JOBS_READ)
    return _page(request, user, "jobs.html", jobs=kavach.services.jobs.recent(user))


@router.get("/jobs/{job_id}")
def job_page(
    request: Request, kavach: KavachDep, user: PageUser, job_id: int
) -> HTMLResponse:
    kavach.services.records.require(user, Permission.JOBS_READ)
    job = kavach.services.jobs.get(job_id, user)
    return _page(request, user, "job.html", job=job)


@router.get("/jobs/{job_id}/progress")
def job_progress(
    request: Request, kavach: KavachDep, user: PageUser, job_id: int
) -> HTMLResponse:
    """The progress block alone: the job page fetches it every second (HTMX)
    until the job has ended."""
    kavach.services.records.require(user, Permission.JOBS_READ)
    job = kavach.services.jobs.get(job_id, user)
    return _page(request, user, "_job_progress.html", job=job)


@router.post("/jobs/{job_id}/resume")
def resume_job(
    request: Request, kavach: KavachDep, user: PageUser, job_id: int, token: Csrf
) -> Response:
    may(request, kavach, user, token, Permission.SCANS_RUN)
    new_id = kavach.services.jobs.resume_scan(job_id, user)
    return RedirectResponse(f"/jobs/{new_id}", status_code=303)
