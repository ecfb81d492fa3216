"""One running workflow instance in memory: advance, complete, fire timers, deliver messages, retry."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.exceptions import TaskNotFoundException, WorkflowException
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from adapters.engine.errors import EventNotExpected, StepFailed, TaskNotReady, UnknownTask
from adapters.engine.serializer import state_to_json
from adapters.engine.user_tasks import describe_user_task
from adapters.engine.workflow import DeepBpmnWorkflow

_MAX_ROUNDS = 200  # engine rounds per advance; each round runs every READY automatic task
SUBMITTED = "anpei_submitted"  # internal_data flag: a person submitted this user task (retry may re-run it)


@dataclass(frozen=True)
class ReadyUserTask:
    """A READY user task as the inbox needs it; candidate org and due date are evaluated from task data."""

    task_id: str
    bpmn_id: str
    name: str
    lane: str | None
    form_key: str | None
    process_id: str
    candidate_organisation: Any
    due_date: Any
    instructions: str | None


@dataclass
class Snapshot:
    """Everything persistence needs after a step, computed once."""

    status: str
    ready_tasks: list[ReadyUserTask]
    next_timer_at: dt.datetime | None
    waiting_messages: list[str]
    incident: StepFailed | None
    process_name: str = ""
    data: dict[str, Any] = field(default_factory=dict)


class WorkflowInstance:
    """Wraps a restored or new workflow; every call leaves it in a state that can be saved."""

    def __init__(self, workflow: DeepBpmnWorkflow, attach: Callable[[DeepBpmnWorkflow], None]) -> None:
        self.workflow = workflow
        attach(workflow)
        self.incident: StepFailed | None = None

    # -- stepping -------------------------------------------------------------------------------
    def advance(self) -> None:
        """Run automatic tasks until only user tasks, timers or messages remain (or a step fails)."""
        self._guarded(self._advance)

    def _advance(self) -> None:
        for _ in range(_MAX_ROUNDS):
            self.workflow.do_engine_steps()
            if not any(not t.task_spec.manual for t in self.workflow.get_tasks(state=TaskState.READY)):
                return
        raise StepFailed("engine", f"the process did not settle after {_MAX_ROUNDS} engine rounds")

    def complete(self, task_id: str, data: Mapping[str, Any]) -> None:
        """Complete a READY user task with validated form data, then advance."""
        task = self.ready_user_task(task_id)
        task.data.update(data)
        task.internal_data[SUBMITTED] = True
        self._guarded(task.run)
        if self.incident is None:
            self.advance()

    def fire_due_timers(self) -> None:
        self._guarded(self.workflow.refresh_timers)
        if self.incident is None:
            self.advance()

    def deliver(self, message_name: str, payload: Any) -> None:
        waiting = {e.name for e in self.workflow.waiting_events()}
        if message_name not in waiting:
            raise EventNotExpected(f"instance is not waiting for message '{message_name}'")
        event = BpmnEvent(MessageEventDefinition(message_name), payload=payload)
        self._guarded(lambda: self.workflow.send_event(event))
        if self.incident is None:
            self.advance()

    def retry(self) -> None:
        """Re-run the tasks that failed (after the cause was fixed), then advance."""
        self.incident = None
        for task in self.workflow.get_tasks(state=TaskState.ERROR):
            if task.internal_data.get(SUBMITTED):
                # A person's submission failed in its post-script: run it again with what they entered.
                task._set_state(TaskState.READY)
                self._guarded(task.run)
            else:
                # Failed before anyone worked on it (pre-script, script, service): make it ready again, which re-runs
                # its pre-script; a user task then waits for a person instead of completing empty.
                task._set_state(TaskState.WAITING)
                self._guarded(functools.partial(task.task_spec._update, task))
            if self.incident is not None:
                return
        # A step can also fail while a successor was being prepared (e.g. a timer expression): that task stays
        # FUTURE under a completed parent. Prepare it again so the failure shows or the process moves on.
        for task in self.workflow.get_tasks(state=TaskState.FUTURE):
            if task.parent is not None and task.parent.state == TaskState.COMPLETED:
                self._guarded(functools.partial(task.task_spec._update, task))
                if self.incident is not None:
                    return
        self.advance()

    def _guarded(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except WorkflowException as err:
            self.incident = _as_step_failed(err)
        except StepFailed as err:
            self.incident = err
        except Exception as err:  # an engine or adapter bug must still become an incident, not a crashed request
            self.incident = StepFailed(_failing_element(self.workflow), f"{type(err).__name__}: {err}")

    # -- reading --------------------------------------------------------------------------------
    def ready_user_task(self, task_id: str) -> Any:
        task = self._task(task_id)
        if not task.task_spec.manual:
            raise UnknownTask(f"task {task_id} is not a user task")
        if task.state != TaskState.READY:
            raise TaskNotReady(f"task {task_id} is {TaskState.get_name(task.state)}, not READY")
        return task

    def task_data(self, task_id: str) -> dict[str, Any]:
        return dict(self._task(task_id).data)

    def _task(self, task_id: str) -> Any:
        try:
            task = self.workflow.get_task_from_id(UUID(task_id))
        except (ValueError, KeyError, TypeError, TaskNotFoundException) as err:
            raise UnknownTask(f"no task {task_id} in this instance") from err
        if task is None:
            raise UnknownTask(f"no task {task_id} in this instance")
        return task

    def element_states(self) -> dict[str, str]:
        """bpmn id → 'completed' / 'active' / 'error' for the diagram view (top-level and called processes)."""
        states: dict[str, str] = {}
        for task in self.workflow.get_tasks():
            bpmn_id = task.task_spec.bpmn_id
            if bpmn_id is None:
                continue
            if task.state == TaskState.ERROR:
                states[bpmn_id] = "error"
            elif task.state in (TaskState.READY, TaskState.WAITING, TaskState.STARTED):
                states.setdefault(bpmn_id, "active")
            elif task.state == TaskState.COMPLETED:
                states.setdefault(bpmn_id, "completed")
        return states

    def reached_elements(self) -> list[tuple[str, str, str]]:
        """(process id, bpmn id, state name) of every task in this instance and its called processes."""
        tasks = list(self.workflow.get_tasks())
        for sub in self.workflow.subprocesses.values():
            tasks.extend(sub.get_tasks())
        return [(t.workflow.spec.name, t.task_spec.bpmn_id, TaskState.get_name(t.state))
                for t in tasks if t.task_spec.bpmn_id]

    def snapshot(self) -> Snapshot:
        if self.incident is None and self.workflow.get_tasks(state=TaskState.ERROR):
            # A failed branch stays an incident even when a parallel branch moved on since.
            failed = self.workflow.get_tasks(state=TaskState.ERROR)[0]
            self.incident = StepFailed(str(failed.task_spec.bpmn_id), "an earlier step failed and awaits retry")
        ready = [] if self.incident else self._ready_user_tasks()
        if self.incident:
            status = "incident"
        elif self.workflow.is_completed():
            status = "completed"
        else:
            status = "running"
        timers, messages = _waiting(self.workflow)
        return Snapshot(status=status, ready_tasks=ready, next_timer_at=min(timers) if timers else None,
                        waiting_messages=messages, incident=self.incident,
                        process_name=self.workflow.spec.description or self.workflow.spec.name,
                        data=dict(self.workflow.data) if status == "completed" else {})

    def _ready_user_tasks(self) -> list[ReadyUserTask]:
        result = []
        for task in self.workflow.get_tasks(state=TaskState.READY, manual=True):
            info = describe_user_task(task.task_spec)
            org = self._evaluate(task, info.candidate_organisation)
            due = self._evaluate(task, info.due_date)
            if self.incident:
                return []
            result.append(ReadyUserTask(
                task_id=str(task.id), bpmn_id=info.bpmn_id, name=info.name, lane=info.lane,
                form_key=info.form_key, process_id=task.workflow.spec.name,
                candidate_organisation=org, due_date=due, instructions=info.instructions))
        return result

    def _evaluate(self, task: Any, expression: str | None) -> Any:
        if not expression:
            return None
        try:
            return self.workflow.script_engine.evaluate(task, expression)
        except WorkflowException as err:
            self.incident = _as_step_failed(err)
        return None

    def dump(self) -> str:
        return state_to_json(self.workflow)


def _waiting(workflow: DeepBpmnWorkflow) -> tuple[list[dt.datetime], list[str]]:
    timers, messages = [], []
    for event in workflow.waiting_events():
        if "Timer" in event.event_type or "TimeDate" in event.event_type or "Duration" in event.event_type:
            parsed = _parse_time(event.value)
            if parsed is not None:
                timers.append(parsed)
        elif "Message" in event.event_type:
            messages.append(event.name)
    return timers, messages


def _parse_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    # SpiffWorkflow reads a date without a zone in the server's local time; so must we, or the stored
    # next_timer_at and the engine disagree and the worker spins on an instance that is not due.
    return moment if moment.tzinfo else moment.astimezone()


def _failing_element(workflow: DeepBpmnWorkflow) -> str:
    failed = workflow.get_tasks(state=TaskState.ERROR)
    return str(failed[0].task_spec.bpmn_id) if failed and failed[0].task_spec.bpmn_id else "engine"


def _as_step_failed(err: WorkflowException) -> StepFailed:
    spec = getattr(err, "task_spec", None)
    element = (getattr(spec, "bpmn_id", None) or getattr(spec, "name", None) or "engine")
    root = getattr(err, "exception", None) or err.__cause__ or err.__context__
    message = str(err).split("\n")[0]
    if root is not None and str(root) and str(root) not in message:
        message = f"{message} ({type(root).__name__}: {root})"
    return StepFailed(str(element), message)
