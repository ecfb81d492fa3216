"""Helpers for the modeler's browser tests: a process owner, the modeler page, counted clicks."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field

import pytest

from adapters.services.platform import directory
from tests.support.platform import PASSWORD

# The pages call the JSON API of blueprint modeler_api (adapters/web/platform/modeler_api.py, issue 7's server half).
needs_modeler_api = pytest.mark.skipif(importlib.util.find_spec("adapters.web.platform.modeler_api") is None,
                                       reason="the modeler's JSON API (modeler_api) is not in this checkout")
SHOTS = "/tmp/i7ui-shots"


def process_owner(wiring, username: str = "owner") -> tuple[str, str]:
    """A 市局 user with the role process_owner (流程管理员); returns (username, password)."""
    directory.create_user(wiring.platform, username=username, display_name="流程管理员", password=PASSWORD,
                          organisation_code="CITY", role_keys=("process_owner",), is_admin=False)
    return username, PASSWORD


@dataclass
class Clicks:
    """Counts what a person does: every click, selection and typed value."""

    page: object
    count: int = 0
    log: list[str] = field(default_factory=list)

    def click(self, selector: str, **kwargs) -> None:
        self.page.click(selector, **kwargs)
        self._note(f"click {selector}")

    def click_at(self, x: float, y: float, what: str) -> None:
        self.page.mouse.move(x - 40, y - 30)
        self.page.mouse.move(x, y, steps=8)  # hover the target as a hand would, so the drop knows what is under it
        self.page.mouse.click(x, y)
        self._note(f"click {what}")

    def select(self, selector: str, value: str) -> None:
        self.page.select_option(selector, value)
        self._note(f"select {selector}={value}")

    def fill(self, selector: str, value: str) -> None:
        self.page.fill(selector, value)
        self._note(f"type {selector}")

    def _note(self, what: str) -> None:
        self.count += 1
        self.log.append(what)


def element_centre(page, element_id: str) -> tuple[float, float]:
    box = page.locator(f'.djs-element[data-element-id="{element_id}"]').first.bounding_box()
    assert box, f"{element_id} is not on the canvas"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def open_modeler(page, base: str, process_key: str) -> None:
    page.goto(f"{base}/modeler/{process_key}")
    page.wait_for_selector("#modeler-app[data-ready=true]")
