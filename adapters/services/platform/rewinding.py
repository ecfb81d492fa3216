"""撤回 (withdraw my submission while the next step has not been started) and 退回到前序步骤 (send the instance
back to an earlier step with a reason), for every process: both reset the engine to an earlier user task."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from adapters.engine.errors import UnknownTask
from adapters.engine.instance import WorkflowInstance
from adapters.engine.rewind import RewindRefused, between, earlier_user_tasks, reset_to
from adapters.services.platform import Platform, handling
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData, NotFound
from adapters.services.platform.instances import commit_step, load_locked
from adapters.services.platform.stepping import save_step
from adapters.services.platform.tasks import may_work_on, visible_task
from storage.models import FormDraft, HumanTask, ProcessInstance
from storage.repositories.handling import HandlingRepository
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class ReturnTarget:
    task_id: str
    step: str
    who: str


def withdrawal_refusal(platform: Platform, actor: Actor, task_id: str) -> str:
    """Why the actor cannot withdraw this completed task now ("" when they can)."""
    with platform.reader() as uow:
        task = visible_task(uow, actor, task_id)
        try:
            row = _row(uow, task)
            instance = _instance(platform, uow, row)
            _check_withdrawal(platform, uow, actor, task, row, instance)
        except (Conflict, Forbidden) as err:
            return str(err)
        return ""


def withdraw(platform: Platform, actor: Actor, task_id: str) -> None:
    """Take back my submission: the next step is withdrawn and the task is mine again, with what I entered."""
    with platform.uow() as uow:
        task = visible_task(uow, actor, task_id)
        row, instance = load_locked(platform, uow, task.instance_id)
        uow.refresh(task)
        _check_withdrawal(platform, uow, actor, task, row, instance)
        _reset(platform, instance, task)
        _reopen(uow, task, actor.user_id, platform.now())
        save_step(platform, uow, row, instance)
        handling._event(uow, task, "withdraw", actor, platform.now(), detail={"from_step": task.title})
        uow.audit.record("task.withdraw", user_id=actor.user_id, username=actor.username, instance_id=row.id,
                         task_id=task.id, detail={"bpmn_id": task.bpmn_id})
        commit_step(uow)


def return_targets(platform: Platform, actor: Actor, task_id: str) -> list[ReturnTarget]:
    """Earlier steps the open task may be sent back to (the diagram's ``returnTo``, or every earlier step)."""
    with platform.reader() as uow:
        task = visible_task(uow, actor, task_id)
        if task.state != "open" or not may_work_on(actor, task):
            return []
        row = _row(uow, task)
        instance = _instance(platform, uow, row)
        return _targets(platform, uow, task, instance)


def return_to(platform: Platform, actor: Actor, task_id: str, target_id: str, reason: str) -> str:
    """Send the instance back from the open task to an earlier step; its last doer gets it with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidData({"reason": "请填写退回原因，接收人会看到它"})
    if len(reason) > 2000:
        raise InvalidData({"reason": "退回原因不能超过 2000 字"})
    with platform.uow() as uow:
        task = visible_task(uow, actor, task_id)
        row, instance = load_locked(platform, uow, task.instance_id)
        uow.refresh(task)
        if task.state != "open" or not may_work_on(actor, task):
            raise Forbidden(f"您不能退回任务「{task.title}」：只有可办理此任务的人员可以退回")
        allowed = {t.task_id for t in _targets(platform, uow, task, instance)}
        target = uow.tasks.get(target_id)
        if target is None or target.instance_id != task.instance_id or target_id not in allowed:
            raise InvalidData({"target": "只能退回到流程图允许的、此前已办理的步骤"})
        _reset(platform, instance, target)
        now = platform.now()
        receiver = target.completed_by_id
        _reopen(uow, target, receiver, now)
        save_step(platform, uow, row, instance)
        handling._event(uow, target, "return", actor, now, note=reason, to_user_id=receiver,
                        detail={"from_step": task.title, "from_task_id": task.id})
        if receiver:
            handling._notify(uow, [receiver], "task_returned_to",
                             f"{actor.display_name} 将「{target.title}」退回给您：{reason}", target, now)
        uow.audit.record("task.return", user_id=actor.user_id, username=actor.username, instance_id=row.id,
                         task_id=task.id, detail={"to_task_id": target.id, "to_step": target.title,
                                                  "reason": reason})
        commit_step(uow)
        return target.title


# -- checks ---------------------------------------------------------------------------------------
def _check_withdrawal(platform: Platform, uow: UnitOfWork, actor: Actor, task: HumanTask, row: ProcessInstance,
                      instance: WorkflowInstance) -> None:
    if task.state != "completed" or task.completed_by_id != actor.user_id:
        raise Forbidden("只能撤回自己已提交的任务")
    if row.status != "running":
        raise Conflict("流程已结束或出错，不能撤回" if row.status != "incident" else "流程出错待处理，不能撤回")
    try:
        undone = between(instance, task.id, platform.runtime.services.rerunnable)
    except UnknownTask as err:
        raise Conflict("此步骤已不在流程中，不能撤回") from err
    if undone.completed_user_tasks:
        raise Conflict("下一步已有人办理完成，不能撤回")
    if not undone.ready_user_tasks:
        raise Conflict("下一步尚未生成待办或流程已继续，不能撤回")
    repo = HandlingRepository(uow.session)
    if any(t.assignee_id for t in repo.open_tasks(list(undone.ready_user_tasks))) or repo.drafts_of(
            list(undone.ready_user_tasks)):
        raise Conflict("下一步已有人认领或开始办理，不能撤回；请联系办理人退回")
    if undone.blocking_services:
        raise Conflict("提交后已执行的自动步骤「" + "、".join(undone.blocking_services) + "」不能重复执行，不能撤回")


def _targets(platform: Platform, uow: UnitOfWork, task: HumanTask, instance: WorkflowInstance) -> list[ReturnTarget]:
    found = []
    try:
        earlier = earlier_user_tasks(instance, task.id)
    except UnknownTask:
        return []
    rerunnable = platform.runtime.services.rerunnable
    for engine_task in earlier:
        row = uow.tasks.get(str(engine_task.id))
        if row is None or row.state != "completed":
            continue
        undone = between(instance, row.id, rerunnable)
        if undone.blocking_services:
            continue
        who = handling.display_names(uow, [row.completed_by_id]).get(row.completed_by_id, "")
        found.append(ReturnTarget(task_id=row.id, step=row.title, who=who))
    return found


def _reset(platform: Platform, instance: WorkflowInstance, task: HumanTask) -> None:
    try:
        reset_to(instance, task.id, platform.runtime.services.rerunnable)
    except RewindRefused as err:
        raise Conflict(str(err)) from err


def _reopen(uow: UnitOfWork, task: HumanTask, user_id: int | None, now: dt.datetime) -> None:
    """The engine reuses the task id, so the row opens again; what was submitted becomes the receiver's draft."""
    submitted = dict(task.submitted or {})
    task.state, task.completed_at, task.completed_by_id = "open", None, None
    task.assignee_id, task.claimed_at = user_id, now if user_id else None
    uow.tasks.delete_drafts(task.id)
    uow.flush()
    if user_id and submitted:
        uow.tasks.save_draft(FormDraft(task_id=task.id, user_id=user_id, data=submitted, saved_at=now))


def _row(uow: UnitOfWork, task: HumanTask) -> ProcessInstance:
    row = uow.instances.get(task.instance_id)
    if row is None:
        raise NotFound(f"流程实例 {task.instance_id} 不存在")
    return row


def _instance(platform: Platform, uow: UnitOfWork, row: ProcessInstance) -> WorkflowInstance:
    bundle = platform.runtime.bundle(row.process_version_id, lambda: uow.processes.spec_json(row.process_version_id))
    return platform.runtime.restore(bundle, row.state)
