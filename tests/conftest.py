"""Fixtures shared by every test: a migrated database per test, a small directory of users, the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.engine import clock
from adapters.services.bootstrap import Wiring
from tests.support.platform import Directory, migrated_template, populate, sqlite_wiring

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def wiring(tmp_path: Path, db_template: Path) -> Iterator[Wiring]:
    wiring = sqlite_wiring(tmp_path, db_template)
    yield wiring
    wiring.dispose()


@pytest.fixture
def people(wiring: Wiring) -> Directory:
    return populate(wiring)


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    fake = clock.FixedClock(dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC))  # 09:00 Beijing, a Monday
    with clock.use_clock(fake):
        yield fake
