"""Placeholder while the family is built."""

from __future__ import annotations

from typing import Any


class RescueServices:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx

    def operators(self) -> dict[str, Any]:
        return {}


def checks() -> dict[str, Any]:
    return {}
