"""The job outbox: one row per background job, written in the transaction of the step that asks for it.

The queue engine (Huey) only carries row ids; the row is the truth. A job is ``pending`` until a worker claims it
(``running`` with a lease), then ``done`` or, after its last attempt, ``failed``. A sweeper hands pending rows
to the queue again (the commit happened but the enqueue did not, or the queue lost it) and takes back running
rows whose lease ran out (the worker died), so every job runs at least once; handlers are idempotent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow

JOB_STATES = ("pending", "running", "done", "failed")
OPEN_STATES = ("pending", "running")


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_state_run_after", "state", "run_after"),
        Index("ix_jobs_subject", "subject", "kind"),
        Index("ix_jobs_dedupe", "dedupe_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    subject: Mapped[str | None] = mapped_column(String(100))  # what the job is about, e.g. "class:3" (progress)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))  # at most one open job per key
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    run_after: Mapped[dt.datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[dt.datetime | None] = mapped_column()
    lease_until: Mapped[dt.datetime | None] = mapped_column()
    worker: Mapped[str | None] = mapped_column(String(100))
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column()


class JobSchedule(Base):
    """A periodic job: the last time slot for which a job was enqueued (one worker wins each slot)."""

    __tablename__ = "job_schedules"
    kind: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_slot: Mapped[int] = mapped_column(BigInteger, default=0)
