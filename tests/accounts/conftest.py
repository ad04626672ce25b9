"""An account service over the test database, with a clock the test moves."""

from __future__ import annotations

import pytest

from kavach.bootstrap import Kavach
from kavach.services.accounts import AccountService
from kavach.storage.account_repository import SqlAccountRepository
from tests.helpers.accounts import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(app: Kavach, clock: Clock) -> AccountService:
    return AccountService(
        SqlAccountRepository(app.engine),
        app.services.units.ensure_loaded,
        app.audit,
        clock,
    )
