"""Process drafts and the version queries of the modeler (history with running counts, forms by key)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import HumanTask, ProcessInstance, ProcessVersion
from storage.models_modeler import ProcessDraft


class ModelerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def draft(self, draft_id: int) -> ProcessDraft | None:
        return self.session.get(ProcessDraft, draft_id)

    def draft_of(self, process_key: str, user_id: int) -> ProcessDraft | None:
        query = select(ProcessDraft).where(ProcessDraft.process_key == process_key,
                                           ProcessDraft.user_id == user_id)
        return self.session.scalars(query).first()

    def drafts_of_user(self, user_id: int) -> Sequence[ProcessDraft]:
        query = select(ProcessDraft).where(ProcessDraft.user_id == user_id).order_by(ProcessDraft.process_key)
        return self.session.scalars(query).all()

    def add_draft(self, draft: ProcessDraft) -> ProcessDraft:
        self.session.add(draft)
        self.session.flush()
        return draft

    def delete_draft(self, draft: ProcessDraft) -> None:
        self.session.delete(draft)

    def version(self, process_key: str, number: int) -> ProcessVersion | None:
        query = select(ProcessVersion).where(ProcessVersion.process_key == process_key,
                                             ProcessVersion.version == number)
        return self.session.scalars(query).first()

    def running_counts(self, process_key: str) -> dict[int, int]:
        """Version id → instances not yet completed (running or with an incident)."""
        query = (select(ProcessInstance.process_version_id, func.count())
                 .where(ProcessInstance.process_key == process_key, ProcessInstance.status != "completed")
                 .group_by(ProcessInstance.process_version_id))
        return {version_id: int(count) for version_id, count in self.session.execute(query)}

    def unfinished_instances(self, version_id: int, ids: Sequence[int] | None = None) -> Sequence[ProcessInstance]:
        query = select(ProcessInstance).where(ProcessInstance.process_version_id == version_id,
                                              ProcessInstance.status != "completed")
        if ids is not None:
            query = query.where(ProcessInstance.id.in_(list(ids)))
        return self.session.scalars(query.order_by(ProcessInstance.id)).all()

    def versions_pinning_form(self, form_key: str) -> list[ProcessVersion]:
        """The latest version of each process, newest first, when it pins the form (JSON key test in Python:
        the forms column is small and the number of processes is in the tens)."""
        newest = (select(ProcessVersion.process_key, func.max(ProcessVersion.version).label("v"))
                  .group_by(ProcessVersion.process_key).subquery())
        query = (select(ProcessVersion)
                 .join(newest, (ProcessVersion.process_key == newest.c.process_key)
                       & (ProcessVersion.version == newest.c.v))
                 .order_by(ProcessVersion.deployed_at.desc()))
        return [v for v in self.session.scalars(query) if form_key in (v.forms or {})]

    def open_tasks_of(self, instance_id: int) -> Sequence[HumanTask]:
        query = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.state == "open")
        return self.session.scalars(query).all()
