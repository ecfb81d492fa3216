"""Moving running instances from one version of a process to a later one, on purpose.

A dry run says per instance whether it can move and why not. The move runs per instance in its own transaction
with the instance row locked (so a completion on the same instance waits or wins first, never interleaves),
updates the human-task rows of the steps that moved (step id, title, form, due date, role), cancels the ones that
no longer exist, drops drafts whose form changed, and records the move in the instance's history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adapters.engine.migration import MigrationPlan, plan_migration
from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.context import engine_scope
from adapters.services.platform.drafts import require_owner
from adapters.services.platform.errors import Conflict, InvalidData, NotFound
from adapters.services.platform.instances import commit_step
from adapters.services.platform.stepping import assignment, due_date, save_step
from storage.models import ProcessInstance, ProcessVersion
from storage.repositories.modeler import ModelerRepository
from storage.uow import UnitOfWork

MAX_INSTANCES = 10_000


@dataclass(frozen=True)
class MigrationRequest:
    process_key: str
    from_version: int
    to_version: int
    instance_ids: tuple[int, ...] | None = None
    mapping: dict[str, str] = field(default_factory=dict)


def request_from(process_key: str, body: Mapping[str, Any]) -> MigrationRequest:
    """Validate the JSON body of a dry run or a migration."""
    errors: dict[str, str] = {}
    numbers = {}
    for name in ("from_version", "to_version"):
        value = body.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors[name] = "请选择版本号（正整数）"
        numbers[name] = value if isinstance(value, int) else 0
    ids = body.get("instance_ids")
    if ids is not None and (not isinstance(ids, list) or len(ids) > MAX_INSTANCES
                            or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids)):
        errors["instance_ids"] = f"实例编号须为整数列表（最多 {MAX_INSTANCES} 个），或留空表示全部"
    mapping = body.get("mapping") or {}
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) and len(k) <= 100
                                                and len(v) <= 100 for k, v in mapping.items()):
        errors["mapping"] = "映射须为“旧步骤编号 → 新步骤编号”的对应表"
    if not errors and numbers["to_version"] <= numbers["from_version"]:
        errors["to_version"] = "目标版本必须比原版本新"
    if errors:
        raise InvalidData(errors, "迁移参数有误")
    return MigrationRequest(process_key, numbers["from_version"], numbers["to_version"],
                            tuple(ids) if ids is not None else None, dict(mapping))


def _versions(uow: UnitOfWork, req: MigrationRequest) -> tuple[ProcessVersion, ProcessVersion]:
    repo = ModelerRepository(uow.session)
    old, new = repo.version(req.process_key, req.from_version), repo.version(req.process_key, req.to_version)
    if old is None or new is None:
        raise NotFound(f"流程 {req.process_key} 没有版本 {req.from_version if old is None else req.to_version}")
    return old, new


def _plan(platform: Platform, uow: UnitOfWork, row: ProcessInstance, old: ProcessVersion, new: ProcessVersion,
          mapping: Mapping[str, str]) -> MigrationPlan:
    runtime = platform.runtime
    old_bundle = runtime.bundle(old.id, lambda: uow.processes.spec_json(old.id))
    new_bundle = runtime.bundle(new.id, lambda: uow.processes.spec_json(new.id))
    return plan_migration(row.state, old_bundle, new_bundle, mapping, runtime.attach)


def dry_run(platform: Platform, actor: Actor, req: MigrationRequest) -> list[dict[str, Any]]:
    require_owner(actor)
    with platform.reader() as uow:
        old, new = _versions(uow, req)
        rows = ModelerRepository(uow.session).unfinished_instances(old.id, req.instance_ids)
        result = []
        for row in rows:
            plan = _plan(platform, uow, row, old, new, req.mapping)
            result.append({"id": row.id, "title": row.title, "can_move": plan.can_move, "reasons": plan.reasons})
        return _with_missing(result, req, rows)


def _with_missing(result: list[dict[str, Any]], req: MigrationRequest,
                  rows: Sequence[ProcessInstance]) -> list[dict[str, Any]]:
    found = {row.id for row in rows}
    for missing in sorted(set(req.instance_ids or ()) - found):
        result.append({"id": missing, "title": "", "can_move": False,
                       "reasons": [f"实例 {missing} 不在版本 {req.from_version} 上运行（可能已完成或已迁移）"]})
    return result


def migrate(platform: Platform, actor: Actor, req: MigrationRequest) -> dict[str, Any]:
    """Move every requested instance that can move; each in its own transaction."""
    require_owner(actor)
    with platform.reader() as uow:
        old, new = _versions(uow, req)
        rows = ModelerRepository(uow.session).unfinished_instances(old.id, req.instance_ids)
        ids = [row.id for row in rows]
        old_id, new_id = old.id, new.id
    moved, refused = 0, [{"id": r["id"], "reasons": r["reasons"]} for r in _with_missing([], req, rows)]
    for instance_id in ids:
        try:
            reasons = migrate_one(platform, actor, instance_id, old_id, new_id, req)
        except Conflict as err:
            reasons = [str(err)]
        if reasons:
            refused.append({"id": instance_id, "reasons": reasons})
        else:
            moved += 1
    return {"moved": moved, "refused": refused}


def migrate_one(platform: Platform, actor: Actor, instance_id: int, old_id: int, new_id: int,
                req: MigrationRequest) -> list[str]:
    """Lock, re-check on the locked state, migrate, save; returns the reasons when it did not move."""
    with platform.uow() as uow:
        row = uow.instances.get_for_update(instance_id)
        if row is None or row.process_version_id != old_id or row.status == "completed":
            return [f"实例 {instance_id} 已不在版本 {req.from_version} 上运行（可能刚刚完成或已被迁移）"]
        old, new = uow.processes.get(old_id), uow.processes.get(new_id)
        assert old is not None and new is not None
        plan = _plan(platform, uow, row, old, new, req.mapping)
        if not plan.can_move or plan.instance is None:
            return plan.reasons
        before = {t.id: (t.bpmn_id, t.form_key) for t in ModelerRepository(uow.session).open_tasks_of(row.id)}
        row.process_version_id = new.id
        with engine_scope(uow):
            plan.instance.advance()
        snapshot, _opened = save_step(platform, uow, row, plan.instance)
        changed = _update_tasks(platform, uow, row, snapshot.ready_tasks, before)
        uow.audit.record("instance.migrate", user_id=actor.user_id or None, username=actor.username,
                         instance_id=row.id, entity="process_version", entity_id=new.id,
                         detail={"process_key": req.process_key, "from_version": req.from_version,
                                 "to_version": req.to_version, "mapping": req.mapping, "tasks": changed,
                                 "status": row.status})
        commit_step(uow)
        return []


def _update_tasks(platform: Platform, uow: UnitOfWork, row: ProcessInstance, ready: Sequence[Any],
                  before: Mapping[str, tuple[str, str]]) -> list[dict[str, str]]:
    """Open tasks that moved keep their id; their row now describes the new version's step."""
    changed = []
    for info in ready:
        task = uow.tasks.get(info.task_id)
        if task is None or task.state != "open" or info.task_id not in before:
            continue
        role_key, org_id = assignment(platform, uow, row, info)
        old_bpmn, old_form = before[info.task_id]
        task.bpmn_id, task.title, task.form_key = info.bpmn_id, info.name[:200], info.form_key or ""
        task.lane, task.role_key, task.due_date = info.lane or "", role_key, due_date(info.due_date)
        if task.organisation_id != org_id:
            task.organisation_id, task.assignee_id = org_id, None
        if old_form != task.form_key:
            uow.tasks.delete_drafts(task.id)  # a draft of another form would not fit
        if old_bpmn != task.bpmn_id or old_form != task.form_key:
            changed.append({"task_id": task.id, "from": old_bpmn, "to": task.bpmn_id})
    return changed
