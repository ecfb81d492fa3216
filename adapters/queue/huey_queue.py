"""The job queues: Huey (SQLite file for the embedded default, Redis in production) and inline (tests, tools).

Why Huey: it is an established queue engine that runs on a SQLite file with no server — so the embedded default
needs nothing installed — and on Redis in production, with thread workers and a clean consumer. It does not
acknowledge jobs (a task taken by a worker that dies is gone) and it is not transactional with our database;
both gaps are closed by the outbox: the job row is written in the step's transaction, Huey only carries its id,
and a sweeper hands pending rows to the queue again and takes back rows whose worker lease ran out. Celery
would need a broker server for the embedded default; RQ and Dramatiq need Redis or RabbitMQ too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey

log = logging.getLogger(__name__)
TASK_NAME = "anpei.run_job"
Runner = Callable[[int], Any]


class InlineQueue:
    """Runs each job right after the commit, in the caller's thread (tests and one-off tools)."""

    def __init__(self) -> None:
        self.runner: Runner | None = None

    def dispatch(self, job_ids: Sequence[int]) -> None:
        if self.runner is None:
            return  # nothing can run them here; the worker's sweeper will
        for job_id in job_ids:
            try:
                self.runner(job_id)
            except Exception:  # the step already committed: a failing job must not turn into an error page
                log.exception("job %s failed", job_id)


class HueyQueue:
    """Hands job ids to Huey; ``consumer`` runs them in this process with ``workers`` threads."""

    def __init__(self, huey: Huey) -> None:
        self.huey = huey
        self.runner: Runner | None = None

        @huey.task(name=TASK_NAME)
        def run_job(job_id: int) -> None:
            if self.runner is None:
                raise RuntimeError("this process runs no jobs (no runner installed)")
            self.runner(job_id)

        self._task = run_job

    def dispatch(self, job_ids: Sequence[int]) -> None:
        """Enqueue; a queue that is down is logged, never raised — the sweeper enqueues the rows again."""
        for job_id in job_ids:
            try:
                self._task(job_id)
            except Exception:
                log.exception("job %s could not be enqueued; the sweeper will retry", job_id)
                return

    def consumer(self, runner: Runner, *, workers: int) -> Any:
        self.runner = runner
        return self.huey.create_consumer(workers=workers, worker_type="thread", periodic=False,
                                         check_worker_health=True)


def make_queue(url: str, data_dir: Path, name: str = "anpei") -> InlineQueue | HueyQueue:
    """``inline``, ``sqlite`` (a file in the data directory, the default), ``sqlite:///path`` or ``redis://…``."""
    if url == "inline":
        return InlineQueue()
    if url == "sqlite" or url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///")) if url != "sqlite" else data_dir / "jobs-queue.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        return HueyQueue(SqliteHuey(name=name, filename=str(path), results=False))
    if url.startswith(("redis://", "rediss://")):
        return HueyQueue(RedisHuey(name=name, url=url, results=False))
    raise ValueError(f"JOB_QUEUE must be inline, sqlite, sqlite:///<path> or redis://…, not {url!r}")


class Sweeper(threading.Thread):
    """Every ``interval`` seconds, hand what ``sweep`` returns (lost or due jobs) to ``dispatch``."""

    def __init__(self, sweep: Callable[[], list[int]], dispatch: Callable[[Sequence[int]], None], *,
                 interval: float = 5.0) -> None:
        super().__init__(name="anpei-job-sweeper", daemon=True)
        self.sweep, self.dispatch, self.interval = sweep, dispatch, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                ids = self.sweep()
                if ids:
                    self.dispatch(ids)
            except Exception:
                log.exception("job sweep failed; trying again in %ss", self.interval)
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
