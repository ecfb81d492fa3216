"""Human tasks: the inbox is a query on this table, never a deserialization of workflow state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from storage.models import FormDraft, HumanTask


class TaskRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, task_id: str) -> HumanTask | None:
        return self.session.get(HumanTask, task_id)

    def open_for_instance(self, instance_id: int) -> Sequence[HumanTask]:
        query = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.state == "open")
        return self.session.scalars(query).all()

    def for_instance(self, instance_id: int) -> Sequence[HumanTask]:
        query = select(HumanTask).where(HumanTask.instance_id == instance_id)
        return self.session.scalars(query.order_by(HumanTask.created_at)).all()

    def add(self, task: HumanTask) -> None:
        self.session.add(task)

    def claim(self, task_id: str, user_id: int, now: dt.datetime) -> bool:
        """Assign an open, unclaimed task in one conditional UPDATE, so two people cannot both claim it."""
        stmt = (update(HumanTask).where(HumanTask.id == task_id, HumanTask.state == "open",
                                        HumanTask.assignee_id.is_(None))
                .values(assignee_id=user_id, claimed_at=now).execution_options(synchronize_session="fetch"))
        result: Any = self.session.execute(stmt)
        return bool(result.rowcount)

    # -- drafts ---------------------------------------------------------------------------------
    def draft(self, task_id: str, user_id: int) -> FormDraft | None:
        return self.session.get(FormDraft, (task_id, user_id))

    def save_draft(self, draft: FormDraft) -> None:
        self.session.merge(draft)

    def delete_drafts(self, task_id: str) -> None:
        self.session.execute(delete(FormDraft).where(FormDraft.task_id == task_id))

    def open_for_actor(self, user_id: int, role_keys: Sequence[str], organisation_id: int,
                       limit: int = 200) -> Sequence[HumanTask]:
        """Open tasks claimed by the user, or unclaimed for one of the user's roles in the user's organisation."""
        query = (select(HumanTask).where(HumanTask.state == "open")
                 .where(or_(HumanTask.assignee_id == user_id,
                            HumanTask.assignee_id.is_(None)
                            & HumanTask.role_key.in_(sorted(role_keys))
                            & (HumanTask.organisation_id == organisation_id)))
                 .order_by(HumanTask.due_date.is_(None), HumanTask.due_date, HumanTask.created_at).limit(limit))
        return self.session.scalars(query).all()

    def all_open(self, limit: int = 200) -> Sequence[HumanTask]:
        query = select(HumanTask).where(HumanTask.state == "open").order_by(HumanTask.created_at).limit(limit)
        return self.session.scalars(query).all()
