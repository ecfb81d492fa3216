"""The bureau's compliance overview is built from indicators that each process family contributes.

A family registers ``Indicator``s in its ``install`` (issuance: archive and result deadlines met; institutions:
surveys on time and their scores, 送培入企 count; plans: plans filed on time, …). The overview page asks every
indicator for the organisations and period shown and lays the answers out as one row per organisation, so the
platform never imports a family and a new family adds columns without touching the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from adapters.services.platform import Platform
from storage.uow import UnitOfWork

Status = Literal["ok", "warn", "bad", "none"]


@dataclass(frozen=True)
class ReportPeriod:
    """A calendar year, or one quarter of it (``quarter`` 1–4)."""

    year: int
    quarter: int | None = None

    @property
    def key(self) -> str:
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)


@dataclass(frozen=True)
class Measure:
    """One organisation's value of one indicator: ``value`` for sorting and charts, ``text`` for the table
    (e.g. "3/4"), ``status`` for the colour."""

    value: float | None
    text: str
    status: Status = "none"


# (read-only unit of work, period, organisation ids) → measure by organisation id (missing ids: nothing to report)
Compute = Callable[[UnitOfWork, ReportPeriod, Sequence[int]], Mapping[int, Measure]]


@dataclass(frozen=True)
class Indicator:
    key: str  # "<family>.<what>", e.g. "issuance.archives_on_time"
    label_zh: str
    label_en: str
    organisation_kinds: tuple[str, ...]  # the organisation kinds it applies to, e.g. ("institution",)
    compute: Compute
    order: int = 100  # column order on the page


def register(platform: Platform, indicator: Indicator) -> None:
    platform.indicators[indicator.key] = indicator


def indicators_for(platform: Platform, organisation_kind: str) -> list[Indicator]:
    found = [i for i in platform.indicators.values() if organisation_kind in i.organisation_kinds]
    return sorted(found, key=lambda i: (i.order, i.key))
