"""Task events (转办, 催办, 撤回, 退回, decisions) and delegations (委托)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.models import FormDraft, HumanTask, ProcessInstance, User
from storage.models_handling import Delegation, TaskEvent


class HandlingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- events ---------------------------------------------------------------------------------
    def add(self, event: TaskEvent) -> TaskEvent:
        self.session.add(event)
        return event

    def for_instance(self, instance_id: int) -> Sequence[TaskEvent]:
        query = select(TaskEvent).where(TaskEvent.instance_id == instance_id).order_by(TaskEvent.id)
        return self.session.scalars(query).all()

    def for_task(self, task_id: str, kinds: Sequence[str]) -> Sequence[TaskEvent]:
        query = (select(TaskEvent).where(TaskEvent.task_id == task_id, TaskEvent.kind.in_(list(kinds)))
                 .order_by(TaskEvent.id.desc()))
        return self.session.scalars(query).all()

    def drafts_of(self, task_ids: Sequence[str]) -> Sequence[FormDraft]:
        if not task_ids:
            return []
        return self.session.scalars(select(FormDraft).where(FormDraft.task_id.in_(list(task_ids)))).all()

    def open_tasks(self, task_ids: Sequence[str]) -> Sequence[HumanTask]:
        if not task_ids:
            return []
        return self.session.scalars(select(HumanTask).where(HumanTask.id.in_(list(task_ids)))).all()

    # -- delegations ----------------------------------------------------------------------------
    def add_delegation(self, delegation: Delegation) -> Delegation:
        self.session.add(delegation)
        self.session.flush()
        return delegation

    def delegation(self, delegation_id: int) -> Delegation | None:
        return self.session.get(Delegation, delegation_id)

    def delegations_of(self, user_id: int) -> Sequence[Delegation]:
        """Delegations the user gave or received, newest first."""
        query = (select(Delegation).where((Delegation.from_user_id == user_id) | (Delegation.to_user_id == user_id))
                 .order_by(Delegation.id.desc()).limit(100))
        return self.session.scalars(query).all()

    def active_to(self, user_id: int, today: dt.date) -> Sequence[Delegation]:
        """Delegations in force that give ``user_id`` someone's tasks."""
        query = select(Delegation).where(Delegation.to_user_id == user_id, Delegation.revoked_at.is_(None),
                                         Delegation.ends_on >= today)
        return self.session.scalars(query).all()

    def delegated_open_tasks(self, delegations: Sequence[tuple[int, str, int]],
                             limit: int = 200) -> Sequence[HumanTask]:
        """Open tasks a delegate may handle: the delegator's claimed ones and their group's unclaimed ones."""
        if not delegations:
            return []
        clauses = [(HumanTask.role_key == role) & (HumanTask.organisation_id == org)
                   & (HumanTask.assignee_id.is_(None) | (HumanTask.assignee_id == from_user))
                   for from_user, role, org in delegations]
        query = (select(HumanTask).where(HumanTask.state == "open", or_(*clauses))
                 .order_by(HumanTask.due_date.is_(None), HumanTask.due_date, HumanTask.created_at).limit(limit))
        return self.session.scalars(query).all()

    def users_in(self, organisation_id: int) -> Sequence[User]:
        query = select(User).where(User.organisation_id == organisation_id, User.active.is_(True))
        return self.session.scalars(query.order_by(User.display_name)).all()

    def versions_of(self, instance_ids: Sequence[int]) -> dict[int, int]:
        """instance id → process version id."""
        if not instance_ids:
            return {}
        query = select(ProcessInstance.id, ProcessInstance.process_version_id).where(
            ProcessInstance.id.in_(sorted(set(instance_ids))))
        return {row[0]: row[1] for row in self.session.execute(query)}
