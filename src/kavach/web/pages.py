"""The pages: sign in and out, and the dashboard. Anonymous requests for a page
are sent to the sign-in page (303); forms carry a CSRF token."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from kavach.access.policy import Permission, allowed
from kavach.access.principal import Principal
from kavach.api.deps import (
    SESSION_COOKIE,
    KavachDep,
    SignInLimit,
    optional_principal,
    source_of,
)
from kavach.errors import AuthenticationError, KavachError
from kavach.examination.material import age_band_shares
from kavach.reporting.casework_stats import CASES
from kavach.web import csrf

router = APIRouter(include_in_schema=False)
_templates = Environment(
    loader=PackageLoader("kavach.web", "templates"),
    autoescape=select_autoescape(["html"]),
)


class SignInRequired(Exception):
    """A page was asked for without a session: the handler redirects to /login."""

    def __init__(self, path: str) -> None:
        self.path = path


def page_user(
    request: Request,
    found: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if found is None or found.via != "session":
        raise SignInRequired(request.url.path)
    request.state.principal = found
    return found


PageUser = Annotated[Principal, Depends(page_user)]


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_templates.get_template(name).render(**context), status)


def _secret(kavach: Any) -> str:
    key = kavach.settings.secret_key
    return key.get_secret_value() if key else ""


def _safe_next(target: str) -> str:
    # Only paths of this site: never an absolute URL someone slipped into ?next=.
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_page(kavach: KavachDep, next: str = "/") -> HTMLResponse:
    return _login_form(kavach, _safe_next(next), None, 200)


def _login_form(kavach: Any, next: str, error: str | None, status: int) -> HTMLResponse:
    cookie, form = csrf.new_pre_session(_secret(kavach))
    response = render(
        "login.html", status, csrf=form, next=next, error=error, user=None
    )
    response.set_cookie(csrf.PRE_SESSION_COOKIE, cookie, httponly=True, samesite="lax")
    return response


@router.post("/login")
def login(
    request: Request,
    kavach: KavachDep,
    _limit: SignInLimit,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    token: Annotated[str, Form(alias="csrf")] = "",
    totp: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    cookie = request.cookies.get(csrf.PRE_SESSION_COOKIE)
    if not csrf.pre_session_ok(_secret(kavach), cookie, token):
        return _login_form(
            kavach, _safe_next(next), "The form expired; try again.", 400
        )
    accounts = kavach.services.accounts
    try:
        who = accounts.authenticate(
            username, password, totp or None, source_of(request)
        )
    except AuthenticationError as error:
        return _login_form(kavach, _safe_next(next), str(error), 401)
    session = accounts.open_session(who, source_of(request))
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session.token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    response.delete_cookie(csrf.PRE_SESSION_COOKIE)
    return response


@router.post("/logout")
def logout(
    request: Request,
    kavach: KavachDep,
    user: PageUser,
    token: Annotated[str, Form(alias="csrf")] = "",
) -> Response:
    if not csrf.session_ok(getattr(request.state, "csrf", None), token):
        return render(
            "error.html",
            400,
            user=user,
            csrf=request.state.csrf,
            message="The form expired; go back and try again.",
        )
    kavach.services.accounts.close_session(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def dashboard(request: Request, kavach: KavachDep, user: PageUser) -> HTMLResponse:
    """What the signed-in user may see, counted, and the confirmed material."""
    services = kavach.services
    totals = services.records.totals(user, source_of(request))
    material = services.material.counts(user.name)
    charts: dict[str, str] = {}
    progress = []
    if allowed(user, Permission.STATS_READ):
        stats = services.stats
        months, districts = stats.overview(user.name)
        if months.rows:
            charts["month"] = stats.chart_svg(months, "The unit by month")
            charts["district"] = stats.chart_svg(districts, "The unit", CASES)
        progress = services.operations.progress(user)
    return render(
        "dashboard.html",
        user=user,
        csrf=request.state.csrf,
        totals=totals,
        bands=age_band_shares(material),
        charts=charts,
        progress=progress,
        may_board=allowed(user, Permission.TARGETS_READ),
    )


def render_error(request: Request, error: KavachError) -> HTMLResponse:
    """A refused or failed page: the message, in the page's frame."""
    found = getattr(request.state, "principal", None)
    return render(
        "error.html",
        error.http_status,
        user=found,
        csrf=getattr(request.state, "csrf", ""),
        message=str(error),
    )


def sign_in_redirect(path: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(path)}", status_code=303)
