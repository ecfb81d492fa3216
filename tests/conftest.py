"""Fixtures shared by every test: a migrated database per test, a small directory of users, the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.engine import clock
from adapters.services.bootstrap import Wiring, bootstrap
from adapters.services.platform.setup import upgrade_database
from tests.support.platform import (
    Directory,
    create_pg_database,
    directory_of,
    drop_pg_database,
    migrated_template,
    pg_url,
    populate,
    populated_template,
    settings_for,
    sqlite_wiring,
)

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def people_template(tmp_path_factory: pytest.TempPathFactory, db_template: Path) -> Path:
    return populated_template(tmp_path_factory.mktemp("people"), db_template)


@pytest.fixture
def wiring(request: pytest.FixtureRequest, tmp_path: Path, db_template: Path) -> Iterator[Wiring]:
    """A fresh database per test; it already holds the test directory when the test also asks for ``people``."""
    needs_people = "people" in request.fixturenames
    template = request.getfixturevalue("people_template") if needs_people else db_template
    wiring = sqlite_wiring(tmp_path, template)
    yield wiring
    wiring.dispose()


@pytest.fixture
def people(wiring: Wiring) -> Directory:
    return directory_of(wiring)


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    fake = clock.FixedClock(dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC))  # 09:00 Beijing, a Monday
    with clock.use_clock(fake):
        yield fake


@pytest.fixture
def pg_wiring(tmp_path: Path) -> Iterator[Wiring]:
    """A throwaway database on the PostgreSQL server at 127.0.0.1:5432 (scripts/test starts it), migrated."""
    name = create_pg_database()
    wiring = bootstrap(settings_for(tmp_path, pg_url(name)))
    try:
        upgrade_database(wiring.platform, wiring.settings.database_url)
        yield wiring
    finally:
        wiring.dispose()
        drop_pg_database(name)


@pytest.fixture
def pg_people(pg_wiring: Wiring) -> Directory:
    return populate(pg_wiring)
