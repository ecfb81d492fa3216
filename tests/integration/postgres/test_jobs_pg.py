"""Background jobs on the real PostgreSQL: workers racing for the same jobs run each exactly once, and the
periodic slot is won by one worker."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from adapters.services.platform import jobs

pytestmark = pytest.mark.postgres


def test_eight_workers_handed_the_same_fifty_jobs_run_each_exactly_once(pg_wiring):
    platform = pg_wiring.platform
    runs: list[int] = []
    lock = threading.Lock()

    def record(run: jobs.JobRun) -> None:
        with lock:
            runs.append(run.job_id)

    jobs.register(platform, "test.pg", record)
    with platform.uow() as uow:
        uow._dispatch = None  # nobody runs them until the workers below
        ids = [jobs.enqueue(uow, "test.pg", {"n": n}) for n in range(50)]
        uow.commit()
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait(timeout=30)
        for job_id in ids:
            jobs.execute(platform, job_id, worker=threading.current_thread().name)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(runs) == sorted(ids)
    with platform.uow() as uow:
        assert uow.jobs.counts() == {"done": 50}


def test_of_workers_sweeping_at_once_one_wins_the_period(pg_wiring):
    platform = pg_wiring.platform
    runs: list[int] = []

    jobs.schedule(platform, "test.tick", lambda run: runs.append(run.payload["slot"]), every=dt.timedelta(hours=1))
    barrier = threading.Barrier(6)

    def sweeper() -> None:
        barrier.wait(timeout=30)
        jobs.enqueue_periodic(platform)

    threads = [threading.Thread(target=sweeper) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(runs) == 1
