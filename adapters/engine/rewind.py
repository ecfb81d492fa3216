"""Taking an instance back to an earlier user task (撤回 / 退回): what lies between, and the engine's reset.

SpiffWorkflow's ``reset_from_task_id`` drops every task after the target and makes the target READY again with
the same task id; the tasks dropped run again when the process moves on. So a reset is refused when what lies
between cannot run twice: a service task whose adapter is not registered ``rerunnable``, or a later user task
somebody already completed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.util.task import TaskIterator, TaskState

from adapters.engine.errors import EngineError
from adapters.engine.instance import WorkflowInstance
from adapters.engine.user_tasks import is_user_task

_DEEP = 10**7
RETURN_TO = "returnTo"  # user task property: bpmn ids (comma separated) of earlier steps it may return to


class RewindRefused(EngineError):
    """The instance cannot be taken back to that task; the message says why, in words for the user."""


@dataclass(frozen=True)
class Between:
    """What a reset to a task would undo."""

    ready_user_tasks: tuple[str, ...]  # task ids of open user tasks that would be withdrawn
    completed_user_tasks: tuple[str, ...]  # task ids of later user tasks already completed
    blocking_services: tuple[str, ...]  # names of completed service tasks that must not run again


def between(instance: WorkflowInstance, task_id: str, rerunnable: Collection[str]) -> Between:
    """The tasks after ``task_id`` (in its branch and in the processes it called)."""
    target = instance._task(task_id)
    ready, done, blocking = [], [], []
    for task in _after(instance, target):
        spec = task.task_spec
        if is_user_task(spec):
            if task.state == TaskState.READY:
                ready.append(str(task.id))
            elif task.state == TaskState.COMPLETED:
                done.append(str(task.id))
        operation = getattr(spec, "operation_name", None)
        if operation and task.state == TaskState.COMPLETED and operation not in rerunnable:
            blocking.append(spec.bpmn_name or spec.bpmn_id or operation)
    return Between(tuple(ready), tuple(done), tuple(blocking))


def _after(instance: WorkflowInstance, target: Any) -> Iterator[Any]:
    subprocesses = instance.workflow.subprocesses
    for task in TaskIterator(target, max_depth=_DEEP):
        if task is target:
            continue
        yield task
        if task.id in subprocesses:
            yield from subprocesses[task.id].get_tasks()


def earlier_user_tasks(instance: WorkflowInstance, task_id: str) -> list[Any]:
    """Completed user tasks on the path to ``task_id``, nearest first, one per step (the latest round of a loop);
    limited to the steps the task's ``returnTo`` property names, when it names any."""
    current = instance._task(task_id)
    props = (getattr(current.task_spec, "extensions", {}) or {}).get("properties", {}) or {}
    allowed = {part.strip() for part in str(props.get(RETURN_TO) or "").split(",") if part.strip()}
    found, seen = [], set()
    task = current.parent
    while task is not None:
        spec = task.task_spec
        if (is_user_task(spec) and task.state == TaskState.COMPLETED and spec.bpmn_id not in seen
                and spec.bpmn_id != current.task_spec.bpmn_id and (not allowed or spec.bpmn_id in allowed)):
            seen.add(spec.bpmn_id)
            found.append(task)
        task = task.parent
    return found


def reset_to(instance: WorkflowInstance, task_id: str, rerunnable: Collection[str]) -> Between:
    """Make the completed user task ``task_id`` READY again (its later tasks dropped); refuses with a reason."""
    target = instance._task(task_id)
    if not is_user_task(target.task_spec) or target.state != TaskState.COMPLETED:
        raise RewindRefused("只能回到已完成的人工步骤")
    undone = between(instance, task_id, rerunnable)
    if undone.blocking_services:
        raise RewindRefused("其后的自动步骤「" + "、".join(undone.blocking_services)
                            + "」已执行且不能重复执行，不能撤回或退回到此步骤")
    instance.workflow.reset_from_task_id(target.id)
    instance.incident = None
    return undone
