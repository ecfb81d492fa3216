"""Issue 11.4: three timer workers, in separate processes, and 1,000 due timers: each fires exactly once."""

from __future__ import annotations

import multiprocessing as mp
import os
import time

import pytest

from adapters.services.bootstrap import bootstrap
from adapters.services.platform import deploy, timers
from storage.models import HumanTask
from tests.support.scenarios import linear, task, timer_wait

pytestmark = pytest.mark.postgres

TIMERS = int(os.environ.get("ANPEI_TIMER_SOAK", "1000"))  # scripts/soak raises it


def _worker(settings, barrier, results):
    wiring = bootstrap(settings)
    try:
        barrier.wait(timeout=60)
        results.put(timers.run_due_timers(wiring.platform, limit=10 * TIMERS).fired)
    finally:
        wiring.dispose()


def _start_many(platform, people, count: int) -> list[int]:
    """Bulk start (the same engine path as one by one, in batches of 100 per transaction)."""
    from adapters.services.platform.instances import start_in

    actor, ids = people.actor("inst_a"), []
    for offset in range(0, count, 100):
        with platform.uow() as uow:
            ids += [start_in(platform, uow, actor, "wait") for _ in range(min(100, count - offset))]
            uow.commit()
    return ids


def test_three_timer_workers_fire_each_of_a_thousand_due_timers_exactly_once(pg_wiring, pg_people):
    platform = pg_wiring.platform
    deploy.deploy(platform, {"wait.bpmn": linear("wait", timer_wait(0, "PT1S"), task(1))}, "admin")
    started = _start_many(platform, pg_people, TIMERS)
    time.sleep(1.2)  # the timers are due on the real clock the workers read
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(3), ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(pg_wiring.settings, barrier, results)) for _ in range(3)]
    for w in workers:
        w.start()
    fired = [results.get(timeout=600) for _ in workers]
    for w in workers:
        w.join(timeout=60)
    assert sum(fired) == TIMERS and all(n > 0 for n in fired), fired  # all three took part
    with platform.reader() as uow:
        opened = uow.session.query(HumanTask).filter(HumanTask.process_key == "wait").all()
    per_instance = {}
    for row in opened:
        per_instance[row.instance_id] = per_instance.get(row.instance_id, 0) + 1
    assert sorted(per_instance) == sorted(started) and set(per_instance.values()) == {1}
