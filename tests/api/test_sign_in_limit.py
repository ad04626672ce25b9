"""Sign-in attempts are limited per address: the account lockout guards a name,
this guards the server against one address trying many names."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kavach.access.ratelimit import AttemptLimiter
from kavach.api.app import create_app
from tests.api.conftest import Served


def test_the_window_slides() -> None:
    now = [0.0]
    limiter = AttemptLimiter(attempts=3, window_seconds=60, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another address has its own count
    now[0] = 60.0
    assert limiter.allow("a")


def test_too_many_token_requests_get_429(served: Served) -> None:
    client = TestClient(create_app(served.kavach))
    answers = [
        client.post(
            "/api/auth/token", data={"username": f"nobody-{n}", "password": "x" * 12}
        ).status_code
        for n in range(31)
    ]
    assert answers[:30] == [401] * 30 and answers[30] == 429
