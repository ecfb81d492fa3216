"""Background jobs: the outbox row commits with the step, every job runs at least once, failures are visible."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.services.platform import jobs
from adapters.services.platform.actors import SYSTEM
from adapters.services.platform.errors import Forbidden
from storage.models_jobs import Job


@pytest.fixture
def ran(wiring):
    """Register a `test.record` job that appends its payload (idempotent per `n`); returns the record."""
    seen: list[int] = []

    def record(run: jobs.JobRun) -> None:
        if run.payload["n"] not in seen:
            seen.append(run.payload["n"])
        run.progress(1, 1)

    jobs.register(wiring.platform, "test.record", record)
    return seen


def _enqueue(wiring, *, commit: bool = True, **payload) -> int:
    with wiring.platform.uow() as uow:
        job_id = jobs.enqueue(uow, "test.record", {"n": 1, **payload}, subject="thing:1")
        if commit:
            uow.commit()
    return job_id


def _job(wiring, job_id: int) -> Job | None:
    with wiring.platform.uow() as uow:
        return uow.jobs.get(job_id)


def test_a_job_written_in_a_committed_transaction_runs_right_after_the_commit(wiring, ran):
    job_id = _enqueue(wiring)
    job = _job(wiring, job_id)
    assert ran == [1] and job is not None
    assert (job.state, job.attempts, job.progress_done, job.progress_total) == ("done", 1, 1, 1)


def test_a_job_of_a_rolled_back_transaction_never_exists_and_never_runs(wiring, ran):
    job_id = _enqueue(wiring, commit=False)
    assert _job(wiring, job_id) is None and ran == []


def test_a_job_lost_between_commit_and_enqueue_is_found_by_the_sweeper(wiring, ran, fixed_clock):
    wiring.platform.dispatch = None
    with wiring.platform.uow() as uow:  # a unit of work without a queue: the "crash after commit" case
        uow._dispatch = None
        job_id = jobs.enqueue(uow, "test.record", {"n": 7})
        uow.commit()
    assert ran == [] and jobs.sweep(wiring.platform) == []  # handed over just now: not yet presumed lost
    fixed_clock.advance(jobs.REDISPATCH_AFTER + dt.timedelta(seconds=1))
    assert jobs.sweep(wiring.platform) == [job_id]
    assert jobs.execute(wiring.platform, job_id) == "done" and ran == [7]


def test_a_job_whose_worker_died_is_taken_back_after_its_lease_and_runs_once_more(wiring, ran, fixed_clock):
    with wiring.platform.uow() as uow:
        uow._dispatch = None
        job_id = jobs.enqueue(uow, "test.record", {"n": 3})
        uow.commit()
    with wiring.platform.uow() as uow:  # a worker claimed it, then died (SIGKILL) before finishing
        assert uow.jobs.claim(job_id, wiring.platform.now(), jobs.LEASE, "dead-worker")
        uow.commit()
    assert jobs.sweep(wiring.platform) == []  # the lease still runs
    fixed_clock.advance(jobs.LEASE + dt.timedelta(seconds=1))
    assert jobs.sweep(wiring.platform) == [job_id]
    assert jobs.execute(wiring.platform, job_id) == "done"
    job = _job(wiring, job_id)
    assert ran == [3] and job is not None and job.attempts == 2


def test_two_workers_handed_the_same_job_run_it_once(wiring, ran):
    with wiring.platform.uow() as uow:
        uow._dispatch = None
        job_id = jobs.enqueue(uow, "test.record", {"n": 5})
        uow.commit()
    assert [jobs.execute(wiring.platform, job_id), jobs.execute(wiring.platform, job_id)] == ["done", "skipped"]


def test_a_failing_job_retries_with_a_growing_wait_then_fails_visibly_and_an_administrator_retries_it(
        wiring, fixed_clock):
    relay = {"up": False, "sent": 0}

    def send(run: jobs.JobRun) -> None:
        if not relay["up"]:
            raise ConnectionError(f"relay down on attempt {run.attempt}")
        relay["sent"] += 1

    jobs.register(wiring.platform, "test.send", send)
    with wiring.platform.uow() as uow:
        job_id = jobs.enqueue(uow, "test.send", {}, max_attempts=2)
        uow.commit()  # attempt 1 runs right after the commit and fails
    job = _job(wiring, job_id)
    assert job is not None and (job.state, job.attempts) == ("pending", 1)
    assert "relay down on attempt 1" in (job.last_error or "")
    assert jobs.sweep(wiring.platform) == []  # not due yet: it waits BACKOFF
    fixed_clock.advance(jobs.BACKOFF + dt.timedelta(seconds=1))
    assert jobs.run_due(wiring.platform) == 1
    job = _job(wiring, job_id)
    assert job is not None and job.state == "failed" and relay["sent"] == 0
    views, counts = jobs.listing(wiring.platform, SYSTEM, state="failed")
    assert [v.id for v in views] == [job_id] and counts["failed"] == 1
    relay["up"] = True
    jobs.retry(wiring.platform, SYSTEM, job_id)  # back in the queue with fresh attempts; runs inline here
    job = _job(wiring, job_id)
    assert job is not None and (job.state, job.attempts) == ("done", 1) and relay["sent"] == 1


def test_an_open_job_with_the_same_key_is_not_enqueued_twice(wiring, ran):
    with wiring.platform.uow() as uow:
        uow._dispatch = None
        first = jobs.enqueue(uow, "test.record", {"n": 1}, key="k")
        second = jobs.enqueue(uow, "test.record", {"n": 1}, key="k")
        uow.commit()
    assert first == second


def test_only_administrators_see_the_job_list(wiring, people):
    with pytest.raises(Forbidden):
        jobs.listing(wiring.platform, people.actor("bureau"))


def test_a_job_of_an_unknown_kind_ends_as_failed_naming_the_kind(wiring, fixed_clock):
    with wiring.platform.uow() as uow:
        job_id = jobs.enqueue(uow, "nobody.handles", {}, max_attempts=1)
        uow.commit()
    job = _job(wiring, job_id)
    assert job is not None and job.state == "failed" and "nobody.handles" in (job.last_error or "")


def test_a_periodic_job_is_enqueued_once_per_period_however_often_workers_sweep(wiring, fixed_clock):
    runs: list[int] = []
    jobs.schedule(wiring.platform, "test.tick", lambda run: runs.append(run.payload["slot"]),
                  every=dt.timedelta(minutes=5))
    for _ in range(3):  # three workers sweeping in the same period
        jobs.sweep(wiring.platform)
    fixed_clock.advance(dt.timedelta(minutes=5))
    jobs.sweep(wiring.platform)
    jobs.sweep(wiring.platform)
    assert len(runs) == 2 and runs[1] == runs[0] + 1


def test_the_job_worker_scans_deadlines_every_few_minutes(wiring):
    from adapters.services.platform import notifications

    assert wiring.platform.job_schedules[notifications.SCAN_DEADLINES] == notifications.SCAN_EVERY
    assert notifications.SCAN_DEADLINES in wiring.platform.job_handlers
