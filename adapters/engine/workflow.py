"""The workflow class we run: BpmnWorkflow without the silent 1000-deep iterator limit (GUIDE §10)."""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskIterator, TaskState

_DEEP = 10**7


class DeepBpmnWorkflow(BpmnWorkflow):
    """A gateway loop past ~333 rounds would otherwise stop advancing and claim to be completed."""

    def get_tasks_iterator(self, first_task: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("max_depth", _DEEP)
        return super().get_tasks_iterator(first_task, **kwargs)

    completed: bool

    def is_completed(self) -> bool:
        if not self.completed:
            unfinished = TaskIterator(self.task_tree, state=TaskState.NOT_FINISHED_MASK, max_depth=_DEEP)
            if next(unfinished, None) is None:
                self.completed = True
        return bool(self.completed)
