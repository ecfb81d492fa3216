"""Writing the result of an engine step: instance state, human tasks and incidents, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from adapters.engine.errors import StepFailed
from adapters.engine.instance import ReadyUserTask, Snapshot, WorkflowInstance
from adapters.services.platform import Platform
from storage.models import HumanTask, Incident, ProcessInstance
from storage.uow import UnitOfWork


def save_step(platform: Platform, uow: UnitOfWork, row: ProcessInstance, instance: WorkflowInstance,
              *, completed_task_id: str | None = None) -> tuple[Snapshot, list[HumanTask]]:
    """Persist state + human-task changes; returns the snapshot and the tasks that were opened."""
    snapshot = instance.snapshot()
    _check_candidates(platform, uow, snapshot)
    now = platform.now()
    row.state = instance.dump()
    row.status = snapshot.status
    row.next_timer_at = snapshot.next_timer_at if snapshot.status == "running" else None
    row.updated_at = now
    if snapshot.status == "completed" and row.completed_at is None:
        row.completed_at = now
    opened = _sync_tasks(platform, uow, row, snapshot, completed_task_id, now)
    if snapshot.incident is not None and not any(
            i.element_id == snapshot.incident.element[:100] for i in uow.instances.open_incidents(row.id)):
        uow.instances.add_incident(Incident(instance_id=row.id, element_id=snapshot.incident.element[:100],
                                            message=snapshot.incident.message))
    if opened:
        platform.emit("tasks_opened", uow=uow, tasks=opened)
    platform.emit("step_saved", uow=uow, row=row, instance=instance, snapshot=snapshot)
    return snapshot, opened


def _check_candidates(platform: Platform, uow: UnitOfWork, snapshot: Snapshot) -> None:
    """A candidate organisation the diagram computed must exist; otherwise the step is an incident, never a task
    that nobody (or the wrong organisation) could see."""
    tree = platform.organisation_tree(uow)
    for task in snapshot.ready_tasks:
        value = task.candidate_organisation
        if value in (None, "") or _organisation(value) in tree:
            continue
        snapshot.incident = StepFailed(task.bpmn_id, f"candidateOrganisation evaluated to {value!r}, "
                                                     "which is not an organisation")
        snapshot.status, snapshot.ready_tasks, snapshot.next_timer_at = "incident", [], None
        return


def _sync_tasks(platform: Platform, uow: UnitOfWork, row: ProcessInstance, snapshot: Snapshot,
                completed_task_id: str | None, now: dt.datetime) -> list[HumanTask]:
    ready = {task.task_id: task for task in snapshot.ready_tasks}
    existing = {task.id: task for task in uow.tasks.open_for_instance(row.id)} if row.id else {}
    for task_id, task in existing.items():
        if task_id in ready or task_id == completed_task_id:
            continue
        if snapshot.status == "incident":
            continue  # keep the inbox as it was until the incident is resolved
        task.state = "cancelled"
        task.completed_at = now
    opened = []
    for task_id, info in ready.items():
        if task_id not in existing:
            role_key, org_id = assignment(platform, uow, row, info)
            human = _new_task(row, info, role_key, org_id, now, snapshot.process_name)
            uow.tasks.add(human)
            opened.append(human)
    return opened


def assignment(platform: Platform, uow: UnitOfWork, row: ProcessInstance,
               info: ReadyUserTask) -> tuple[str, int | None]:
    """(role key, candidate organisation id) of a ready user task."""
    role_key, org_kind = platform.lane_role(uow, info.lane or "")
    org_id = _organisation(info.candidate_organisation) or _nearest_of_kind(
        platform.organisation_tree(uow), row.organisation_id, org_kind)
    return role_key, org_id


def due_date(value: Any) -> dt.date | None:
    """The due date a dueDate expression evaluated to (date, datetime or ISO text)."""
    return _due_date(value)


def _nearest_of_kind(tree: dict[int, tuple[str, int | None]], start: int | None, kind: str) -> int | None:
    """The instance's organisation or its nearest ancestor of the role's kind (fallback: the instance's own)."""
    current = start
    while current is not None and current in tree:
        current_kind, parent = tree[current]
        if current_kind == kind:
            return current
        current = parent
    return start


def _new_task(row: ProcessInstance, info: ReadyUserTask, role_key: str, org_id: int | None, now: dt.datetime,
              process_name: str) -> HumanTask:
    return HumanTask(
        id=info.task_id, instance_id=row.id, process_key=row.process_key,
        process_name=(process_name or row.process_key)[:200],
        bpmn_id=info.bpmn_id, title=info.name[:200], subject_title=(row.title or "")[:200],
        business_key=row.business_key, lane=info.lane or "", role_key=role_key, organisation_id=org_id,
        form_key=info.form_key or "", state="open", due_date=_due_date(info.due_date), created_at=now)


def _organisation(value: Any) -> int | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _due_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
