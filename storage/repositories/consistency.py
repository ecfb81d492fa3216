"""Read-only queries for the consistency check (``flask check``): instances, open tasks, jobs, documents."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, HumanTask, ProcessInstance
from storage.models_jobs import Job

UNFINISHED = ("running", "incident")


class ConsistencyQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def unfinished_instances(self, batch: int = 200) -> Iterator[Sequence[ProcessInstance]]:
        """Running instances (and those waiting on an incident) in id order, a batch at a time."""
        last = 0
        while True:
            query = (select(ProcessInstance).where(ProcessInstance.status.in_(UNFINISHED), ProcessInstance.id > last)
                     .order_by(ProcessInstance.id).limit(batch))
            rows = self.session.scalars(query).all()
            if not rows:
                return
            yield rows
            last = rows[-1].id

    def open_task_ids(self, instance_ids: Sequence[int]) -> dict[int, set[str]]:
        query = select(HumanTask.instance_id, HumanTask.id).where(HumanTask.instance_id.in_(instance_ids),
                                                                   HumanTask.state == "open")
        found: dict[int, set[str]] = defaultdict(set)
        for instance_id, task_id in self.session.execute(query):
            found[instance_id].add(task_id)
        return found

    def open_tasks_of_finished_instances(self) -> Sequence[tuple[str, int, str]]:
        """(task id, instance id, instance status) of open tasks whose instance is no longer unfinished."""
        query = (select(HumanTask.id, ProcessInstance.id, ProcessInstance.status)
                 .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
                 .where(HumanTask.state == "open", ProcessInstance.status.not_in(UNFINISHED))
                 .order_by(ProcessInstance.id))
        return [tuple(row) for row in self.session.execute(query)]  # type: ignore[misc]

    def expired_leases(self, now: dt.datetime) -> Sequence[Job]:
        query = select(Job).where(Job.state == "running", Job.lease_until < now).order_by(Job.id)
        return self.session.scalars(query).all()

    def undispatched(self, before: dt.datetime) -> Sequence[Job]:
        query = (select(Job).where(Job.state == "pending", Job.run_after < before,
                                   (Job.dispatched_at.is_(None)) | (Job.dispatched_at < before))
                 .order_by(Job.id))
        return self.session.scalars(query).all()

    def open_job_kinds(self) -> set[str]:
        return set(self.session.scalars(select(Job.kind).where(Job.state.in_(("pending", "running"))).distinct()))

    def documents(self, batch: int = 500) -> Iterator[Sequence[Document]]:
        last = 0
        while True:
            query = select(Document).where(Document.id > last).order_by(Document.id).limit(batch)
            rows = self.session.scalars(query).all()
            if not rows:
                return
            yield rows
            last = rows[-1].id
