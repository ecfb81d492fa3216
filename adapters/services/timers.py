"""The timer worker: claim instances whose next timer is due and step them, one transaction each."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from adapters.services.context import engine_scope
from adapters.services.instances import commit_step, load_locked
from adapters.services.platform import Platform
from adapters.services.stepping import save_step

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TimerRun:
    fired: int
    failed: int


def run_due_timers(platform: Platform, *, batch: int = 50) -> TimerRun:
    """Fire every due timer once. Safe to run in several workers at the same time (SKIP LOCKED)."""
    fired = failed = 0
    while True:
        with platform.uow() as uow:
            due = [row.id for row in uow.instances.claim_due_timers(platform.now(), 1)]
            if not due:
                return TimerRun(fired, failed)
            row, instance = load_locked(platform, uow, due[0])
            with engine_scope(uow):
                instance.fire_due_timers()
            snapshot, _ = save_step(platform, uow, row, instance)
            uow.audit.record("instance.timer", instance_id=row.id, result="ok" if not snapshot.incident else "incident",
                             detail={"status": row.status, "next_timer_at": str(row.next_timer_at or "")})
            commit_step(uow)
        if snapshot.incident:
            failed += 1
            log.warning("timer step of instance %s failed: %s", row.id, snapshot.incident)
        else:
            fired += 1
        if fired + failed >= batch * 100:
            return TimerRun(fired, failed)
