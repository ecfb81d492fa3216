"""Use cases on process instances: start, show, retry after an incident, deliver a message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.engine.errors import EventNotExpected
from adapters.engine.instance import WorkflowInstance
from adapters.engine.user_tasks import called_only, start_lanes, start_page
from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.context import engine_scope
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData, NotFound
from adapters.services.platform.stepping import save_step
from storage.models import HumanTask, Incident, ProcessInstance
from storage.uow import ConcurrentUpdate, UnitOfWork

RESERVED_PREFIX = "_"


@dataclass(frozen=True)
class InstanceView:
    id: int
    process_key: str
    version: int
    business_key: str | None
    title: str
    status: str
    organisation_id: int | None
    next_timer_at: Any
    active_tasks: list[HumanTask]
    incidents: list[Incident]
    created_at: Any
    completed_at: Any


def start_instance(platform: Platform, actor: Actor, process_key: str, *, business_key: str | None = None,
                   data: Mapping[str, Any] | None = None, title: str = "",
                   organisation_id: int | None = None, subject: Mapping[str, Any] | None = None,
                   dedicated: bool = False) -> int:
    """Start the latest version of a process for the actor's organisation; returns the instance id.

    ``dedicated`` is set by the use cases behind a process's own start page (e.g. registering a class); the
    generic start (web form, API, command line) is refused for processes that declare such a page.
    """
    with platform.uow() as uow:
        instance_id = start_in(platform, uow, actor, process_key, business_key=business_key, data=data,
                               title=title, organisation_id=organisation_id, subject=subject, dedicated=dedicated)
        uow.commit()
        return instance_id


def start_in(platform: Platform, uow: UnitOfWork, actor: Actor, process_key: str, *,
             business_key: str | None = None, data: Mapping[str, Any] | None = None, title: str = "",
             organisation_id: int | None = None, subject: Mapping[str, Any] | None = None,
             dedicated: bool = False) -> int:
    """Start an instance inside the caller's transaction (it commits); see ``start_instance``."""
    initial = dict(data or {})
    bad = {k: "以下划线开头的变量名保留给系统" for k in initial
           if k.startswith(RESERVED_PREFIX) or not k.isidentifier()}
    bad.update({k: "与流程脚本可用的函数同名，不能作为数据名" for k in initial if k in platform.runtime.function_names})
    if bad:
        raise InvalidData(bad, "初始数据有误")
    version = uow.processes.latest(process_key)
    if version is None:
        raise NotFound(f"流程 {process_key} 尚未部署")
    org_id = organisation_id if organisation_id is not None else (actor.organisation_id or None)
    if org_id is None:
        raise InvalidData({"organisation": "请指定办理单位（流程实例必须属于一个单位）"})
    if not actor.is_admin and not actor.sees_organisation(org_id):
        raise Forbidden("不能为管辖范围以外的单位发起流程")
    bundle = platform.runtime.bundle(version.id, lambda: version.spec_json)
    page = start_page(bundle.spec)
    if page and not dedicated:
        raise Forbidden(f"流程 {process_key} 须从专门页面发起：{page}")
    if called_only(bundle.spec):
        raise Forbidden(f"流程 {process_key} 只能由其他流程调用，不能单独发起")
    if not dedicated and not actor.is_admin:
        lanes = start_lanes(bundle.spec)
        if not any(platform.lane_role(uow, lane)[0] in actor.role_keys for lane in lanes):
            raise Forbidden(f"您的角色不能发起流程 {process_key}")
    initial.update(organisation_id=org_id, business_key=business_key, started_by=actor.username)
    row = uow.instances.add(ProcessInstance(
        process_version_id=version.id, process_key=process_key, business_key=business_key,
        title=(title or business_key or version.name)[:200], organisation_id=org_id,
        subject=dict(subject or {}), status="running", state="{}",
        started_by_id=actor.user_id or None))
    initial["instance_id"] = row.id
    with engine_scope(uow):
        instance = platform.runtime.start(bundle, initial)
    save_step(platform, uow, row, instance)
    uow.audit.record("instance.start", user_id=actor.user_id or None, username=actor.username,
                     instance_id=row.id, entity="process_version", entity_id=version.id,
                     detail={"process_key": process_key, "version": version.version,
                             "business_key": business_key, "status": row.status})
    return row.id


def visible_instance(uow: UnitOfWork, actor: Actor, instance_id: int) -> ProcessInstance:
    row = uow.instances.get(instance_id)
    if row is None or not (actor.is_admin or actor.sees_organisation(row.organisation_id)
                           or _has_task_in(uow, actor, row.id)):
        raise NotFound(f"流程实例 {instance_id} 不存在")
    return row


def _has_task_in(uow: UnitOfWork, actor: Actor, instance_id: int) -> bool:
    return any(actor.sees_organisation(t.organisation_id) or t.assignee_id == actor.user_id
               or t.completed_by_id == actor.user_id for t in uow.tasks.for_instance(instance_id))


def show_instance(platform: Platform, actor: Actor, instance_id: int) -> InstanceView:
    with platform.reader() as uow:
        row = visible_instance(uow, actor, instance_id)
        version = uow.processes.get(row.process_version_id)
        return InstanceView(
            id=row.id, process_key=row.process_key, version=version.version if version else 0,
            business_key=row.business_key, title=row.title, status=row.status,
            organisation_id=row.organisation_id, next_timer_at=row.next_timer_at,
            active_tasks=list(uow.tasks.open_for_instance(row.id)),
            incidents=list(uow.instances.open_incidents(row.id)),
            created_at=row.created_at, completed_at=row.completed_at)


def load_locked(platform: Platform, uow: UnitOfWork, instance_id: int) -> tuple[ProcessInstance, WorkflowInstance]:
    """Lock the instance row and restore its workflow on the version's cached spec."""
    row = uow.instances.get_for_update(instance_id)
    if row is None:
        raise NotFound(f"流程实例 {instance_id} 不存在")
    bundle = platform.runtime.bundle(row.process_version_id,
                                     lambda: uow.processes.spec_json(row.process_version_id))
    return row, platform.runtime.restore(bundle, row.state)


def commit_step(uow: UnitOfWork) -> None:
    """Commit, turning a lost optimistic-lock race into a clear conflict."""
    try:
        uow.commit()
    except ConcurrentUpdate as err:
        raise Conflict("流程实例已被他人更新，请刷新后重试") from err


def retry_instance(platform: Platform, actor: Actor, instance_id: int) -> str:
    """After the cause of an incident is fixed, re-run the failed step (administrators only)."""
    if not actor.is_admin:
        raise Forbidden("只有管理员可以重试出错的流程")
    with platform.uow() as uow:
        row, instance = load_locked(platform, uow, instance_id)
        if row.status != "incident":
            raise Conflict(f"流程实例 {instance_id} 没有待处理的异常")
        now = platform.now()
        for incident in uow.instances.open_incidents(row.id):
            incident.resolved_at = now
            incident.resolved_by_id = actor.user_id or None
        with engine_scope(uow):
            instance.retry()
        save_step(platform, uow, row, instance)
        uow.audit.record("instance.retry", user_id=actor.user_id or None, username=actor.username,
                         instance_id=row.id, result="ok" if row.status != "incident" else "failed",
                         detail={"status": row.status})
        commit_step(uow)
        return row.status


def deliver_message(platform: Platform, actor: Actor, instance_id: int, message: str,
                    payload: Any = None) -> str:
    """Deliver a BPMN message (e.g. results from an external exam system) to a waiting instance."""
    with platform.uow() as uow:
        visible_instance(uow, actor, instance_id)
        row, instance = load_locked(platform, uow, instance_id)
        try:
            with engine_scope(uow):
                instance.deliver(message, payload)
        except EventNotExpected as err:
            raise Conflict(f"流程实例 {instance_id} 当前不在等待消息 {message}") from err
        save_step(platform, uow, row, instance)
        uow.audit.record("instance.message", user_id=actor.user_id or None, username=actor.username,
                         instance_id=row.id, detail={"message": message, "status": row.status})
        commit_step(uow)
        return row.status
