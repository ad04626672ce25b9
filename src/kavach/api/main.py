"""The application uvicorn serves (``kavach serve``): settings from the environment,
so each worker process builds its own ``Kavach``."""

from __future__ import annotations

from fastapi import FastAPI

from kavach.api.app import create_app
from kavach.bootstrap import build
from kavach.settings import Settings


def build_app() -> FastAPI:
    return create_app(build(Settings()))
