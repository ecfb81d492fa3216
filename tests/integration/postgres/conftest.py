"""A throwaway PostgreSQL database per test module (the server at 127.0.0.1:5432 that .ci/run starts)."""

from collections.abc import Iterator

import pytest

from adapters.services.bootstrap import Wiring, bootstrap
from adapters.services.setup import upgrade_database
from tests.support.platform import Directory, create_pg_database, drop_pg_database, pg_url, populate, settings_for

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_wiring(tmp_path) -> Iterator[Wiring]:
    name = create_pg_database()
    wiring = bootstrap(settings_for(tmp_path, pg_url(name)))
    try:
        upgrade_database(wiring.platform, wiring.settings.database_url)
        yield wiring
    finally:
        wiring.dispose()
        drop_pg_database(name)


@pytest.fixture
def pg_people(pg_wiring) -> Directory:
    return populate(pg_wiring)
