"""``kavach serve``: the web application and REST API (uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from kavach.cli.context import err, settings
from kavach.errors import ConfigError

# The demo's key: accepted only with --demo, so a real server never runs on it.
DEMO_SECRET = "kavach-demo-secret-not-for-real-use"


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    demo: Annotated[
        bool, typer.Option("--demo", help="Allow the demo's secret key.")
    ] = False,
) -> None:
    """Serve the pages and the API under /api (OpenAPI at /api/openapi.json)."""
    import uvicorn

    key = settings().secret_key
    secret = key.get_secret_value() if key else ""
    if len(secret) < 32 or (secret == DEMO_SECRET and not demo):
        raise ConfigError(
            "KAVACH_SECRET_KEY: set a secret of 32 characters or more "
            "(python -c 'import secrets; print(secrets.token_urlsafe(48))'); the "
            "demo's key is refused outside 'kavach demo'"
        )
    err.print(f"Kavach on http://{host}:{port} (API at /api, {workers} worker(s))")
    uvicorn.run(
        "kavach.api.main:build_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
