"""Use cases on human tasks: list, claim, unclaim, save a draft, complete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.engine.errors import TaskNotReady, UnknownTask
from adapters.services.platform import Platform, choice_sources, documents, handling
from adapters.services.platform.actors import Actor
from adapters.services.platform.context import engine_scope
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData, NotFound
from adapters.services.platform.instances import commit_step, load_locked
from adapters.services.platform.stepping import save_step
from storage.models import FormDraft, HumanTask
from storage.uow import UnitOfWork


def may_see_task(actor: Actor, task: HumanTask) -> bool:
    return (actor.is_admin or actor.sees_organisation(task.organisation_id)
            or task.assignee_id == actor.user_id or task.completed_by_id == actor.user_id
            or actor.acts_for(task.role_key, task.organisation_id, task.assignee_id) is not None)


def may_work_on(actor: Actor, task: HumanTask) -> bool:
    """The task's role, in the task's candidate organisation, and not claimed by someone else."""
    return ((actor.has_role(task.role_key) and task.organisation_id == actor.organisation_id
             and task.assignee_id in (None, actor.user_id))
            or actor.acts_for(task.role_key, task.organisation_id, task.assignee_id) is not None)


def visible_task(uow: UnitOfWork, actor: Actor, task_id: str) -> HumanTask:
    task = uow.tasks.get(task_id)
    if task is None or not may_see_task(actor, task):
        raise NotFound(f"任务 {task_id} 不存在")
    return task


def _workable(uow: UnitOfWork, actor: Actor, task_id: str) -> HumanTask:
    task = visible_task(uow, actor, task_id)
    if task.state != "open":
        raise Conflict(f"任务「{task.title}」已{'完成' if task.state == 'completed' else '取消'}，不能再处理")
    if not may_work_on(actor, task):
        if task.assignee_id not in (None, actor.user_id):
            raise Conflict(f"任务「{task.title}」已被他人认领")
        raise Forbidden(f"您没有处理任务「{task.title}」的权限（需要角色 {task.role_key}）")
    return task


def claim(platform: Platform, actor: Actor, task_id: str) -> None:
    with platform.uow() as uow:
        task = _workable(uow, actor, task_id)
        if task.assignee_id == actor.user_id:
            return
        if not uow.tasks.claim(task.id, actor.user_id, platform.now()):
            raise Conflict(f"任务「{task.title}」刚刚被他人认领")
        uow.audit.record("task.claim", user_id=actor.user_id, username=actor.username,
                         instance_id=task.instance_id, task_id=task.id)
        uow.commit()


def unclaim(platform: Platform, actor: Actor, task_id: str) -> None:
    """Hand a claimed task back to the group."""
    with platform.uow() as uow:
        task = _workable(uow, actor, task_id)
        if task.assignee_id != actor.user_id:
            raise Conflict("只能退回自己认领的任务")
        task.assignee_id = None
        task.claimed_at = None
        uow.audit.record("task.unclaim", user_id=actor.user_id, username=actor.username,
                         instance_id=task.instance_id, task_id=task.id)
        uow.commit()


def save_draft(platform: Platform, actor: Actor, task_id: str, data: Mapping[str, Any]) -> None:
    with platform.uow() as uow:
        task = _workable(uow, actor, task_id)
        uow.tasks.save_draft(FormDraft(task_id=task.id, user_id=actor.user_id, data=dict(data),
                                       saved_at=platform.now()))
        uow.commit()


def load_draft(platform: Platform, actor: Actor, task_id: str) -> dict[str, Any] | None:
    with platform.reader() as uow:
        visible_task(uow, actor, task_id)
        draft = uow.tasks.draft(task_id, actor.user_id)
        return dict(draft.data) if draft else None


def task_context(platform: Platform, actor: Actor, task_id: str) -> tuple[HumanTask, dict[str, Any], dict[str, Any]]:
    """The task row, its form definition and the data visible to it (for read-only display)."""
    with platform.reader() as uow:
        task = visible_task(uow, actor, task_id)
        row = uow.instances.get(task.instance_id)
        assert row is not None
        form = choice_sources.resolve(uow, platform.version_form(uow, row.process_version_id, task.form_key),
                                      task.organisation_id)
        data: dict[str, Any] = {}
        if task.state == "open":
            bundle = platform.runtime.bundle(row.process_version_id,
                                             lambda: uow.processes.spec_json(row.process_version_id))
            try:
                data = platform.runtime.restore(bundle, row.state).task_data(task.id)
            except UnknownTask:
                data = {}
        else:
            data = dict(task.submitted or {})
        return task, form, data


def complete(platform: Platform, actor: Actor, task_id: str, data: Mapping[str, Any]) -> str:
    """Validate the form data, run the task, advance the instance; returns the instance status.

    Concurrency: the instance row is locked (PostgreSQL) or the database write lock is held (SQLite) before the
    task is re-checked, so of two simultaneous completions exactly one wins and the other gets ``Conflict``.
    """
    with platform.uow() as uow:
        first_look = visible_task(uow, actor, task_id)
        row, instance = load_locked(platform, uow, first_look.instance_id)
        if uow.dialect != "sqlite":  # SQLite read the task under its write lock already (BEGIN IMMEDIATE)
            uow.refresh(first_look)
        task = _workable(uow, actor, task_id)
        form = choice_sources.resolve(uow, platform.version_form(uow, row.process_version_id, task.form_key),
                                      task.organisation_id)
        cleaned, errors = platform.check_form(form, data, platform.today())
        errors = errors or _foreign_files(uow, actor, task, form, cleaned)
        if not errors:
            errors = _run_submit_checks(platform, uow, form, {**instance.task_data(task.id), **cleaned})
        if errors:
            raise InvalidData(errors)
        try:
            with engine_scope(uow):
                instance.complete(task.id, cleaned)
        except (TaskNotReady, UnknownTask) as err:
            raise Conflict(f"任务「{task.title}」当前不可处理：{err}") from err
        now = platform.now()
        task.state, task.completed_by_id, task.completed_at = "completed", actor.user_id, now
        task.assignee_id = task.assignee_id or actor.user_id
        task.submitted = cleaned
        handling.record_decision(uow, task, actor, form, cleaned, now)
        save_step(platform, uow, row, instance, completed_task_id=task.id)
        uow.tasks.delete_drafts(task.id)
        uow.audit.record("task.complete", user_id=actor.user_id, username=actor.username,
                         instance_id=row.id, task_id=task.id,
                         result="ok" if row.status != "incident" else "incident",
                         detail={"bpmn_id": task.bpmn_id, "fields": sorted(cleaned), "status": row.status})
        commit_step(uow)
        return row.status


def _foreign_files(uow: UnitOfWork, actor: Actor, task: HumanTask, form: Any,
                   cleaned: Mapping[str, Any]) -> dict[str, str]:
    """File fields may only name documents the actor may use in this task (``documents.usable_in_task``)."""
    errors: dict[str, str] = {}
    for spec in getattr(form, "fields", ()):
        if spec.type != "file":
            continue
        value = cleaned.get(spec.name)
        for document_id in value if isinstance(value, list) else [value]:
            if document_id is None:
                continue
            if not documents.usable_in_task(uow, actor, uow.documents.get(int(document_id)), task):
                errors[spec.name] = "文件不存在或不属于本事项"
    return errors


def _run_submit_checks(platform: Platform, uow: UnitOfWork, form: Any, data: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in getattr(form, "checks", ()):
        errors.update(platform.submit_checks[name](uow, data))
    return errors
