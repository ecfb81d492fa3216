"""Fixtures of the class-page tests: the web fixtures (CSRF on), the deployed training diagrams and the clock."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.web.conftest import app, as_user, client, csrf_token, login, post  # noqa: F401  (fixtures)
from tests.support.issuance import deploy_training, set_day


@pytest.fixture
def deployed(wiring, people, fixed_clock):
    """Both training diagrams deployed; the clock on Monday 2026-03-09, the first working day after a class."""
    deploy_training(wiring)
    set_day(fixed_clock, dt.date(2026, 3, 9))
    return wiring
