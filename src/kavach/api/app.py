"""The FastAPI application: the API under /api and the pages, over one ``Kavach``.

Errors are mapped in one place: a ``KavachError`` becomes its ``http_status`` with
``{"detail": message}``; an anonymous page request is sent to the login page.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from kavach import __version__
from kavach.access.ratelimit import AttemptLimiter
from kavach.api.routes import auth, jobs, records
from kavach.bootstrap import Kavach
from kavach.errors import KavachError
from kavach.web import admin as web_admin
from kavach.web import cases as web_cases
from kavach.web import casework as web_casework
from kavach.web import directory as web_directory
from kavach.web import jobs as web_jobs
from kavach.web import operations as web_operations
from kavach.web import pages
from kavach.web import records as web_records
from kavach.web.pages import SignInRequired, sign_in_redirect


def create_app(kavach: Kavach) -> FastAPI:
    app = FastAPI(
        title="Kavach",
        version=__version__,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
    )
    app.state.kavach = kavach
    # Jobs left running by a server process that has since stopped.
    kavach.services.jobs.mark_interrupted()
    app.state.sign_ins = AttemptLimiter()
    app.include_router(auth.router)
    app.include_router(records.router)
    app.include_router(jobs.router)
    app.include_router(pages.router)
    app.include_router(web_cases.router)
    app.include_router(web_casework.router)
    app.include_router(web_jobs.router)
    app.include_router(web_operations.router)
    app.include_router(web_admin.router)
    app.include_router(web_records.router)
    app.include_router(web_directory.router)
    app.mount("/static", StaticFiles(packages=[("kavach.web", "static")]), "static")

    @app.exception_handler(SignInRequired)
    def sign_in(request: Request, error: SignInRequired) -> Response:
        return sign_in_redirect(error.path)

    @app.exception_handler(KavachError)
    def kavach_error(request: Request, error: KavachError) -> Response:
        if not request.url.path.startswith("/api"):
            return pages.render_error(request, error)
        headers = {"WWW-Authenticate": "Bearer"} if error.http_status == 401 else None
        return JSONResponse(
            {"detail": str(error)}, status_code=error.http_status, headers=headers
        )

    return app
