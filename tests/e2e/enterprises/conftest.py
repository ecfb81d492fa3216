"""Fixtures of the enterprises web tests: the web fixtures (CSRF on), all diagrams deployed, enterprises, the clock."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.services.platform import deploy
from tests.bpmn.coverage import diagram_files
from tests.e2e.web.conftest import app, as_user, client, csrf_token, login, post  # noqa: F401  (fixtures)
from tests.support.enterprises import add_enterprises
from tests.support.issuance import set_day


@pytest.fixture
def enterprises(wiring, people, fixed_clock) -> dict[str, int]:
    deploy.deploy(wiring.platform, diagram_files(), "admin")
    set_day(fixed_clock, dt.date(2026, 3, 2))
    return add_enterprises(wiring, people)
