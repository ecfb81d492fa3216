"""Job outbox rows: add in the caller's transaction, claim with a lease, finish, retry, sweep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import CursorResult, Result, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models_jobs import OPEN_STATES, Job, JobSchedule


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, job: Job) -> Job:
        self.session.add(job)
        self.session.flush()
        return job

    def get(self, job_id: int) -> Job | None:
        return self.session.get(Job, job_id)

    def open_with_key(self, dedupe_key: str) -> Job | None:
        query = select(Job).where(Job.dedupe_key == dedupe_key, Job.state.in_(OPEN_STATES)).limit(1)
        return self.session.scalars(query).first()

    def claim(self, job_id: int, now: dt.datetime, lease: dt.timedelta, worker: str) -> bool:
        """Take a pending, due job (a conditional UPDATE: of two workers handed the same id, one wins)."""
        query = (update(Job)
                 .where(Job.id == job_id, Job.state == "pending", Job.run_after <= now)
                 .values(state="running", attempts=Job.attempts + 1, lease_until=now + lease, worker=worker,
                         started_at=now))
        return _rowcount(self.session.execute(query, execution_options={"synchronize_session": False})) == 1

    def finish(self, job_id: int, now: dt.datetime) -> None:
        self._set(job_id, state="done", finished_at=now, lease_until=None, last_error=None)

    def retry_later(self, job_id: int, run_after: dt.datetime, error: str) -> None:
        self._set(job_id, state="pending", run_after=run_after, lease_until=None, dispatched_at=None,
                  last_error=error)

    def fail(self, job_id: int, now: dt.datetime, error: str) -> None:
        self._set(job_id, state="failed", finished_at=now, lease_until=None, last_error=error)

    def set_progress(self, job_id: int, done: int, total: int) -> None:
        self._set(job_id, progress_done=done, progress_total=total)

    def reset(self, job_id: int, now: dt.datetime) -> bool:
        """A failed job back to pending for a new round of attempts (an administrator's retry)."""
        query = (update(Job).where(Job.id == job_id, Job.state == "failed")
                 .values(state="pending", attempts=0, run_after=now, dispatched_at=None, finished_at=None))
        return _rowcount(self.session.execute(query, execution_options={"synchronize_session": False})) == 1

    def expired_leases(self, now: dt.datetime) -> int:
        """Running jobs whose worker is gone (lease over) go back to pending; returns how many."""
        query = (update(Job).where(Job.state == "running", Job.lease_until < now)
                 .values(state="pending", lease_until=None, dispatched_at=None, run_after=now,
                         last_error="worker lost (lease expired)"))
        return _rowcount(self.session.execute(query, execution_options={"synchronize_session": False}))

    def undispatched(self, now: dt.datetime, stale: dt.timedelta, limit: int = 500) -> list[int]:
        """Due pending jobs never handed to the queue, or handed over so long ago that the queue lost them."""
        query = (select(Job.id).where(Job.state == "pending", Job.run_after <= now,
                                      or_(Job.dispatched_at.is_(None), Job.dispatched_at < now - stale))
                 .order_by(Job.id).limit(limit))
        return list(self.session.scalars(query))

    def mark_dispatched(self, job_ids: Sequence[int], now: dt.datetime) -> None:
        if job_ids:
            self.session.execute(update(Job).where(Job.id.in_(sorted(job_ids))).values(dispatched_at=now),
                                 execution_options={"synchronize_session": False})

    def latest_for(self, subject: str, kind: str) -> Job | None:
        query = select(Job).where(Job.subject == subject, Job.kind == kind).order_by(Job.id.desc()).limit(1)
        return self.session.scalars(query).first()

    def listing(self, *, state: str | None = None, limit: int = 100) -> Sequence[Job]:
        query = select(Job).order_by(Job.id.desc()).limit(limit)
        if state:
            query = query.where(Job.state == state)
        return self.session.scalars(query).all()

    def counts(self) -> dict[str, int]:
        rows = self.session.execute(select(Job.state, func.count()).group_by(Job.state))
        return {state: int(n) for state, n in rows}

    def claim_slot(self, kind: str, slot: int) -> bool:
        """True for exactly one caller per (kind, slot), however many workers ask at once."""
        insert = pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        self.session.execute(insert(JobSchedule).values(kind=kind, last_slot=0).on_conflict_do_nothing())
        query = (update(JobSchedule).where(JobSchedule.kind == kind, JobSchedule.last_slot < slot)
                 .values(last_slot=slot))
        return _rowcount(self.session.execute(query, execution_options={"synchronize_session": False})) == 1

    def _set(self, job_id: int, **values: Any) -> None:
        self.session.execute(update(Job).where(Job.id == job_id).values(**values),
                             execution_options={"synchronize_session": False})


def _rowcount(result: Result[Any]) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0
