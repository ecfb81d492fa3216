"""Path tests of the diagrams in bpmn/: the real diagrams deployed on a fresh database, every step saved and
restored through it (the platform serialises the state after each step and restores it for the next)."""

from __future__ import annotations

import pytest

from adapters.services.platform import deploy
from tests.bpmn.coverage import Reached, diagram_files


@pytest.fixture(scope="module")
def reached() -> Reached:
    return Reached()


@pytest.fixture
def diagrams(wiring, people, reached):
    """All diagrams of bpmn/ deployed; every saved step is recorded for the module's coverage check."""
    wiring.platform.on("step_saved", lambda instance, **_: reached.record(instance))
    files = diagram_files()
    if files:
        deploy.deploy(wiring.platform, files, "admin")
    return wiring
