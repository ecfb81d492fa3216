"""Moving a running instance onto a later version of its process, with SpiffWorkflow 3.2's own diff utilities.

``plan_migration`` restores the instance on its old spec, aligns its tasks with the new spec
(``SpiffWorkflow.bpmn.util.diff.diff_workflow``), applies a renamed-task mapping, refuses what cannot move safely
(an active step removed or changed type, a called process that no longer exists, an open incident, a finished step
that no longer exists), migrates with ``migrate_workflow`` and proves the result by saving and restoring it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from adapters.engine.instance import WorkflowInstance
from adapters.engine.serializer import SpecBundle, spec_registry, state_from_json, state_to_json
from adapters.engine.workflow import DeepBpmnWorkflow

ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR


@dataclass
class MigrationPlan:
    """Whether the instance can move, why not, and (when it can) the migrated instance, not yet advanced."""

    reasons: list[str] = field(default_factory=list)
    instance: WorkflowInstance | None = None
    moved_tasks: dict[str, str] = field(default_factory=dict)  # task id → new bpmn id of aligned active tasks

    @property
    def can_move(self) -> bool:
        return not self.reasons and self.instance is not None


def _label(spec: Any) -> str:
    return str(getattr(spec, "bpmn_name", None) or getattr(spec, "bpmn_id", None) or spec.name)


def _kind(spec: Any) -> str:
    names = {"UserTask": "用户任务", "ManualTask": "人工任务", "ServiceTask": "服务任务", "ScriptTask": "脚本任务",
             "CallActivity": "调用活动", "SubWorkflowTask": "子流程", "NoneTask": "任务"}
    name = type(spec).__name__
    return next((label for key, label in names.items() if key in name), name)


def _align(diff: Any, workflow: Any, new_spec: Any, mapping: Mapping[str, str], reasons: list[str]) -> None:
    """Apply the mapping, then refuse active tasks that were removed or changed type."""
    for task in list(diff.alignment) + list(diff.removed):
        target = mapping.get(task.task_spec.name)
        if target is None:
            continue
        new = new_spec.task_specs.get(target)
        if new is None:
            reasons.append(f"映射的目标步骤“{target}”在新版本中不存在")
            continue
        diff.alignment[task] = new
        if task in diff.removed:
            diff.removed.remove(task)
    for task in workflow.get_tasks(state=ACTIVE, skip_subprocesses=True):
        if task.task_spec.name.startswith("Root") or task.task_spec.bpmn_id is None:
            continue
        new = diff.alignment.get(task)
        if task in diff.removed or new is None:
            reasons.append(f"进行中的步骤“{_label(task.task_spec)}”在新版本中已删除：请在映射中指定对应的新步骤")
        elif type(new) is not type(task.task_spec):
            reasons.append(f"进行中的步骤“{_label(task.task_spec)}”在新版本中类型已改变"
                           f"（{_kind(task.task_spec)} → {_kind(new)}）：不能迁移")


def plan_migration(state_json: str, old: SpecBundle, new: SpecBundle, mapping: Mapping[str, str],
                   attach: Callable[[DeepBpmnWorkflow], None]) -> MigrationPlan:
    """Migrate a copy of the instance state in memory; nothing is saved."""
    plan = MigrationPlan()
    workflow = state_from_json(state_json, old)
    attach(workflow)
    if workflow.get_tasks(state=TaskState.ERROR):
        plan.reasons.append("流程实例有未处理的异常：请先重试或解决异常，再迁移")
        return plan
    registry = spec_registry()
    top, subs = diff_workflow(registry, workflow, new.spec, new.subprocess_specs)
    _align(top, workflow, new.spec, mapping, plan.reasons)
    for sp_id, sub_diff in subs.items():
        sub = workflow.subprocesses[sp_id]
        if sub_diff is None:
            if not sub.is_completed():
                name = sub.spec.description or sub.spec.name
                plan.reasons.append(f"正在运行的子流程“{name}”在新版本中不存在，无法对应")
            continue
        _align(sub_diff, sub, new.subprocess_specs[sub.spec.name], mapping, plan.reasons)
    if plan.reasons:
        return plan
    try:
        migrate_workflow(top, workflow, new.spec)
        workflow.subprocess_specs = new.subprocess_specs
        for sp_id, sub_diff in subs.items():
            if sub_diff is not None:
                migrate_workflow(sub_diff, workflow.subprocesses[sp_id], new.subprocess_specs[
                    workflow.subprocesses[sp_id].spec.name])
    except Exception as err:  # a pre-script of a re-predicted step can fail; the instance then stays as it was
        plan.reasons.append(f"在新版本上重新准备当前步骤时出错：{type(err).__name__}: {err}")
        return plan
    _stale_tasks(workflow, new, plan.reasons)
    if plan.reasons:
        return plan
    try:
        restored = state_from_json(state_to_json(workflow), new)
    except Exception as err:  # the proof: what cannot be restored must not be saved
        plan.reasons.append(f"迁移后的状态无法在新版本上恢复：{type(err).__name__}: {err}")
        return plan
    plan.instance = WorkflowInstance(restored, attach)
    plan.moved_tasks = {str(t.id): str(t.task_spec.bpmn_id) for t in restored.get_tasks(state=TaskState.READY)
                        if t.task_spec.bpmn_id}
    return plan


def _stale_tasks(workflow: Any, new: SpecBundle, reasons: list[str]) -> None:
    """Tasks still pointing at a spec the new version does not have (a finished step that was deleted)."""
    specs = [new.spec, *new.subprocess_specs.values()]
    known = {id(ts) for spec in specs for ts in spec.task_specs.values()}
    tasks = list(workflow.get_tasks(skip_subprocesses=True))
    for sub in workflow.subprocesses.values():
        tasks.extend(sub.get_tasks(skip_subprocesses=True))
    seen = set()
    for task in tasks:
        if id(task.task_spec) in known or task.task_spec.name in seen:
            continue
        seen.add(task.task_spec.name)
        reasons.append(f"已完成的步骤“{_label(task.task_spec)}”在新版本中已删除：请在映射中指定它对应的新步骤")
