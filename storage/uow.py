"""Unit of work: one transaction per use case; rolls back unless ``commit()`` is called.

Side effects that must not happen for a rolled-back change (mail, object deletes) are queued with
``after_commit`` and run only once the transaction is durable. Background jobs are rows written with
``add_job`` in the same transaction; once it commits, their ids go to the ``dispatch`` callable (the queue).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from storage.db import READ_ONLY
from storage.models import AuditEntry
from storage.models_jobs import Job
from storage.repositories.audit import AuditRepository
from storage.repositories.directory import DirectoryRepository
from storage.repositories.documents import DocumentRepository
from storage.repositories.instances import InstanceRepository
from storage.repositories.jobs import JobRepository
from storage.repositories.processes import ProcessRepository
from storage.repositories.recurring import RecurringRepository
from storage.repositories.reference import ReferenceRepository
from storage.repositories.tasks import TaskRepository


class ConcurrentUpdate(Exception):
    """Another transaction changed the row first (optimistic version check failed)."""


class UnitOfWork:
    """Opens a session; repositories share it; nothing is written unless commit() is called."""

    def __init__(self, session_factory: sessionmaker[Any], *, read_only: bool = False,
                 dispatch: Callable[[list[int]], None] | None = None) -> None:
        self._factory = session_factory
        self.read_only = read_only
        self._dispatch = dispatch
        self._after_commit: list[Callable[[], None]] = []
        self._new_jobs: list[int] = []

    def __enter__(self) -> UnitOfWork:
        self.session: Session = self._factory()
        if self.read_only:
            self.session.connection(execution_options={READ_ONLY: True})
        self.processes = ProcessRepository(self.session)
        self.instances = InstanceRepository(self.session)
        self.tasks = TaskRepository(self.session)
        self.directory = DirectoryRepository(self.session)
        self.documents = DocumentRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.reference = ReferenceRepository(self.session)
        self.jobs = JobRepository(self.session)
        self.recurring = RecurringRepository(self.session)
        self._after_commit = []
        self._new_jobs = []
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        # close() rolls back anything uncommitted but leaves loaded objects readable (detached, not expired).
        self._after_commit = []
        self._new_jobs = []
        self.session.close()

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def after_commit(self, fn: Callable[[], None]) -> None:
        self._after_commit.append(fn)

    def add_job(self, job: Job) -> Job:
        """Write a job row in this transaction; it is handed to the queue only if the transaction commits."""
        self.jobs.add(job)
        self._new_jobs.append(job.id)
        return job

    def flush(self) -> None:
        self.session.flush()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: rolled back if the block raises, kept otherwise."""
        with self.session.begin_nested():
            yield

    def refresh(self, obj: object) -> None:
        self.session.refresh(obj)

    def commit(self) -> None:
        if self.read_only and (self.session.new or self.session.dirty or self.session.deleted):
            raise PermissionError("a read-only unit of work cannot write")
        try:
            self.session.commit()
        except StaleDataError as err:
            self.session.rollback()
            raise ConcurrentUpdate(str(err)) from err
        callbacks, self._after_commit = self._after_commit, []
        jobs, self._new_jobs = self._new_jobs, []
        if jobs and self._dispatch is not None:
            self._dispatch(jobs)
        for fn in callbacks:
            fn()

    def rollback(self) -> None:
        self.session.rollback()
        self._after_commit = []
        self._new_jobs = []


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry):
            raise PermissionError("audit_log is append-only")
