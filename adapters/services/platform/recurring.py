"""Processes the calendar starts (quarterly surveys, training plans, …): once per organisation and period.

A family registers a ``Recurrence`` in its ``install``; a periodic job (every hour, one worker wins each hour)
asks each recurrence which period is open today and starts one instance for every active organisation of the
recurrence's kind that has none for that period yet. The row in ``recurring_starts`` is written in the same
transaction as the instance, under a unique key, so a start happens exactly once even when several workers on
several hosts scan at the same moment, and a failed start is retried at the next scan.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from adapters.services.platform import Platform, jobs
from adapters.services.platform.actors import SYSTEM
from adapters.services.platform.instances import start_in
from storage.models import Organisation

log = logging.getLogger(__name__)

SCAN = "platform.recurring_starts"
SCAN_EVERY = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Recurrence:
    """``period_of(today)`` names the period to open today (e.g. ``"2026Q4"``), or None when none is open;
    ``data`` and ``title`` give each instance its start data and inbox title."""

    process_key: str
    organisation_kind: str
    period_of: Callable[[dt.date], str | None]
    data: Callable[[str, Organisation], Mapping[str, Any]] = lambda period, org: {"period": period}
    title: Callable[[str, Organisation], str] = lambda period, org: f"{org.name} {period}"


@dataclass(frozen=True)
class StartResult:
    process_key: str
    period: str
    started: tuple[int, ...]  # instance ids
    failed: tuple[tuple[int, str], ...] = ()  # (organisation id, reason); retried at the next scan


def register(platform: Platform, recurrence: Recurrence) -> None:
    platform.recurrences[recurrence.process_key] = recurrence


def install(platform: Platform) -> None:
    def scan(run: jobs.JobRun) -> None:
        for result in start_due(platform):
            if result.started or result.failed:
                log.info("calendar starts of %s %s: %d started, %d failed", result.process_key, result.period,
                         len(result.started), len(result.failed))

    jobs.schedule(platform, SCAN, scan, every=SCAN_EVERY)


def start_due(platform: Platform, today: dt.date | None = None) -> list[StartResult]:
    """Start what today's periods still miss, for every registered recurrence."""
    today = today or platform.today()
    results = []
    for key in sorted(platform.recurrences):
        recurrence = platform.recurrences[key]
        period = recurrence.period_of(today)
        if period:
            results.append(start_period(platform, recurrence, period))
    return results


def start_period(platform: Platform, recurrence: Recurrence, period: str) -> StartResult:
    """One instance per active organisation of the kind that has none for the period (each in its own
    transaction, so one organisation's failure does not hold back the others)."""
    started, failed = [], []
    for org_id in _missing(platform, recurrence, period):
        with platform.uow() as uow:
            org = uow.directory.organisation(org_id)
            assert org is not None
            row = uow.recurring.claim(recurrence.process_key, period, org_id)
            if row is None:  # another worker started this one a moment ago
                continue
            try:
                row.instance_id = start_in(platform, uow, SYSTEM, recurrence.process_key,
                                           business_key=f"{recurrence.process_key}:{period}:{org.code}",
                                           data=dict(recurrence.data(period, org)),
                                           title=recurrence.title(period, org), organisation_id=org_id,
                                           dedicated=True)
                uow.commit()
                started.append(row.instance_id)
            except Exception as err:  # noqa: BLE001 - reported and retried at the next scan, never half-written
                uow.rollback()
                log.warning("calendar start of %s %s for organisation %s failed: %s",
                            recurrence.process_key, period, org_id, err)
                failed.append((org_id, str(err)[:300]))
    return StartResult(recurrence.process_key, period, tuple(started), tuple(failed))


def _missing(platform: Platform, recurrence: Recurrence, period: str) -> list[int]:
    with platform.reader() as uow:
        return uow.recurring.missing(recurrence.process_key, period, recurrence.organisation_kind)
