"""The timer worker: claim instances whose next timer is due and step them, one transaction each."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from adapters.services.platform import Platform
from adapters.services.platform.context import engine_scope
from adapters.services.platform.instances import commit_step, load_locked
from adapters.services.platform.stepping import save_step
from storage.models import Incident

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TimerRun:
    fired: int
    failed: int


def run_due_timers(platform: Platform, *, limit: int = 5000) -> TimerRun:
    """Fire every due timer once. Safe to run in several workers at the same time (SKIP LOCKED).

    Each instance is stepped in its own transaction; one that cannot be stepped gets an incident and the worker
    moves on, so a single broken instance never stops the others' timers.
    """
    fired = failed = 0
    seen: set[int] = set()
    while fired + failed < limit:
        with platform.uow() as uow:
            due = uow.instances.claim_due_timers(platform.now(), 1, exclude=seen)
            if not due:
                break
            instance_id = due[0].id
            seen.add(instance_id)
            try:
                ok = _fire(platform, uow, instance_id)
            except Exception as err:  # a bug must not starve every other instance's timers
                log.exception("timer step of instance %s crashed", instance_id)
                uow.rollback()
                _record_crash(platform, instance_id, err)
                ok = False
        fired, failed = (fired + 1, failed) if ok else (fired, failed + 1)
    return TimerRun(fired, failed)


def _fire(platform: Platform, uow, instance_id: int) -> bool:  # type: ignore[no-untyped-def]
    row, instance = load_locked(platform, uow, instance_id)
    with engine_scope(uow):
        instance.fire_due_timers()
    snapshot, _ = save_step(platform, uow, row, instance)
    uow.audit.record("instance.timer", instance_id=row.id, result="ok" if not snapshot.incident else "incident",
                     detail={"status": row.status, "next_timer_at": str(row.next_timer_at or "")})
    commit_step(uow)
    if snapshot.incident:
        log.warning("timer step of instance %s failed: %s", row.id, snapshot.incident)
    return snapshot.incident is None


def _record_crash(platform: Platform, instance_id: int, err: Exception) -> None:
    with platform.uow() as uow:
        row = uow.instances.get_for_update(instance_id)
        if row is None:
            return
        row.status, row.next_timer_at = "incident", None
        uow.instances.add_incident(Incident(instance_id=instance_id, element_id="timer",
                                            message=f"{type(err).__name__}: {err}"[:4000]))
        uow.audit.record("instance.timer", instance_id=instance_id, result="failed",
                         detail={"error": f"{type(err).__name__}: {err}"[:500]})
        uow.commit()
