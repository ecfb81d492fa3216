"""Fixtures of the plans web tests: the web fixtures (CSRF on), all diagrams deployed, the plans of 2026 Q3 opened."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.services.platform import deploy
from tests.bpmn.coverage import diagram_files
from tests.e2e.web.conftest import app, as_user, client, csrf_token, login, post  # noqa: F401  (fixtures)
from tests.support.issuance import set_day
from tests.support.plans import open_quarter, plan_of


@pytest.fixture
def quarter(wiring, people, fixed_clock):
    """2026-04-01: each institution has its task to file the plan for 2026 Q3 (due 2026-06-20)."""
    deploy.deploy(wiring.platform, diagram_files(), "admin")
    set_day(fixed_clock, dt.date(2026, 4, 1))
    open_quarter(wiring, dt.date(2026, 4, 1))
    return {code: plan_of(wiring, people.orgs[code], 2026, 3).id for code in ("INST-A", "INST-B")}
