"""Background jobs: enqueue in the step's transaction, run idempotently on a worker, sweep what got lost.

``enqueue(uow, kind, payload)`` writes an outbox row (``storage.models_jobs.Job``) in the caller's transaction;
the unit of work hands its id to the queue after the commit, so a crash between commit and enqueue loses
nothing — the sweeper dispatches it again. A worker runs ``execute(platform, job_id)``: it claims the row with a
lease, calls the handler registered for the kind, and marks it done; an exception retries later with a growing
wait and gives up as ``failed`` (shown to administrators, who can retry). Delivery is at least once, so every
handler must be idempotent (check what is already done before doing it).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from adapters.engine import clock
from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Forbidden, NotFound
from storage.models_jobs import Job
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=10)
REDISPATCH_AFTER = dt.timedelta(minutes=2)
BACKOFF = dt.timedelta(seconds=30)


@dataclass(frozen=True)
class JobRun:
    """What a handler gets: the job's id and payload, and a way to report progress."""

    job_id: int
    payload: dict[str, Any]
    attempt: int
    report: Callable[[int, int], None]

    def progress(self, done: int, total: int) -> None:
        self.report(done, total)


Handler = Callable[[JobRun], None]


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    subject: str | None
    state: str
    attempts: int
    max_attempts: int
    progress_done: int
    progress_total: int
    last_error: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


def register(platform: Platform, kind: str, handler: Handler) -> None:
    """Name a handler for a kind of job (done once by a family's ``install``)."""
    platform.job_handlers[kind] = handler


def schedule(platform: Platform, kind: str, handler: Handler, *, every: dt.timedelta) -> None:
    """A job that runs once per period (of wall-clock time) across all workers, e.g. deadline scans."""
    register(platform, kind, handler)
    platform.job_schedules[kind] = every


def enqueue_periodic(platform: Platform) -> list[int]:
    """Enqueue each scheduled kind whose current period has no job yet (one worker wins each period)."""
    now, created = platform.now(), []
    for kind, every in sorted(platform.job_schedules.items()):
        slot = int(now.timestamp() // every.total_seconds())
        with platform.uow() as uow:
            if uow.jobs.claim_slot(kind, slot):
                created.append(enqueue(uow, kind, {"slot": slot}, max_attempts=1, now=now))
            uow.commit()
    return created


def enqueue(uow: UnitOfWork, kind: str, payload: dict[str, Any] | None = None, *, subject: str | None = None,
            key: str | None = None, max_attempts: int = 5, now: dt.datetime | None = None) -> int:
    """Write a job in the caller's transaction; with ``key``, a job of the same key still waiting is reused (one
    already running may have read its input before this transaction's changes, so a new one is written)."""
    if key is not None:
        existing = uow.jobs.open_with_key(key)
        if existing is not None and existing.state == "pending":
            return existing.id
    at = now or clock.now()  # handed to the queue right after the commit; the sweeper re-sends it if that fails
    job = uow.add_job(Job(kind=kind, payload=dict(payload or {}), subject=subject, dedupe_key=key,
                          max_attempts=max_attempts, run_after=at, dispatched_at=at, created_at=at))
    return job.id


def execute(platform: Platform, job_id: int, *, worker: str | None = None) -> str:
    """Run one job if it is still pending and due; returns its state afterwards ('skipped' if not ours)."""
    now = platform.now()
    with platform.uow() as uow:
        claimed = uow.jobs.claim(job_id, now, LEASE, worker or _worker_name())
        uow.commit()
        if not claimed:
            return "skipped"
        job = uow.jobs.get(job_id)
        assert job is not None
        kind, payload, attempt, max_attempts = job.kind, dict(job.payload), job.attempts, job.max_attempts
    handler = platform.job_handlers.get(kind)
    try:
        if handler is None:
            raise LookupError(f"no handler registered for job kind {kind!r}")
        handler(JobRun(job_id, payload, attempt, lambda done, total: _progress(platform, job_id, done, total)))
    except Exception as err:  # the job failed, not the worker: record it and retry or give up
        error = f"{type(err).__name__}: {err}\n{traceback.format_exc(limit=8)}"
        return _after_failure(platform, job_id, attempt, max_attempts, error)
    with platform.uow() as uow:
        uow.jobs.finish(job_id, platform.now())
        uow.commit()
    return "done"


def sweep(platform: Platform) -> list[int]:
    """Enqueue periodic jobs that are due, take back jobs of dead workers and return the due pending jobs to hand
    to the queue (marked dispatched)."""
    enqueue_periodic(platform)
    now = platform.now()
    with platform.uow() as uow:
        recovered = uow.jobs.expired_leases(now)
        ids = uow.jobs.undispatched(now, REDISPATCH_AFTER)
        uow.jobs.mark_dispatched(ids, now)
        uow.commit()
    if recovered:
        log.warning("%d job(s) of lost workers returned to the queue", recovered)
    return ids


def run_due(platform: Platform, *, limit: int = 100) -> int:
    """Run every due job in this process (the inline queue and ``flask jobs run --once``); returns how many ran."""
    ran = 0
    for job_id in sweep(platform)[:limit]:
        ran += execute(platform, job_id) != "skipped"
    return ran


def latest(platform: Platform, subject: str, kind: str) -> JobView | None:
    with platform.reader() as uow:
        job = uow.jobs.latest_for(subject, kind)
        return _view(job) if job is not None else None


def listing(platform: Platform, actor: Actor, *, state: str | None = None) -> tuple[list[JobView], dict[str, int]]:
    _require_admin(actor)
    with platform.reader() as uow:
        return [_view(j) for j in uow.jobs.listing(state=state)], uow.jobs.counts()


def retry(platform: Platform, actor: Actor, job_id: int) -> None:
    _require_admin(actor)
    with platform.uow() as uow:
        if uow.jobs.get(job_id) is None:
            raise NotFound(f"后台任务 {job_id} 不存在")
        reset = uow.jobs.reset(job_id, platform.now())
        uow.commit()
    if reset and platform.dispatch is not None:
        platform.dispatch([job_id])


def _after_failure(platform: Platform, job_id: int, attempt: int, max_attempts: int, error: str) -> str:
    now = platform.now()
    with platform.uow() as uow:
        if attempt >= max_attempts:
            uow.jobs.fail(job_id, now, error)
            state = "failed"
        else:
            uow.jobs.retry_later(job_id, now + BACKOFF * (2 ** (attempt - 1)), error)
            state = "pending"
        uow.commit()
    log.warning("job %s attempt %s failed (%s): %s", job_id, attempt, state, error.splitlines()[0])
    return state


def _progress(platform: Platform, job_id: int, done: int, total: int) -> None:
    with platform.uow() as uow:
        uow.jobs.set_progress(job_id, done, total)
        uow.commit()


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("只有管理员可以查看后台任务")


def _view(job: Job) -> JobView:
    return JobView(job.id, job.kind, job.subject, job.state, job.attempts, job.max_attempts, job.progress_done,
                   job.progress_total, job.last_error, job.created_at, job.finished_at)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
