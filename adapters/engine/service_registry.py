"""Named Python adapters that BPMN service tasks call (``spiffworkflow:serviceTaskOperator id="…"``)."""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.exceptions import SpiffWorkflowException

from adapters.engine.bounds import runtime_problem
from adapters.engine.errors import ServiceFailed
from adapters.engine.sandbox import SCRIPT_FILENAME, RestrictedScriptEnvironment

ServiceFn = Callable[..., Any]


class ServiceRegistry(Mapping[str, ServiceFn]):
    """Service adapters by operator name; a diagram may only call what is registered here."""

    def __init__(self) -> None:
        self._services: dict[str, ServiceFn] = {}
        # Adapters that may run again when a person withdraws or returns a step across them (idempotent, or
        # writing only what a re-run replaces). Every other adapter blocks 撤回/退回 across it.
        self.rerunnable: set[str] = set()
        # Set by the services layer: runs each call so that a failing adapter leaves no writes behind.
        self.around: Callable[[Callable[[], Any]], Any] = lambda call: call()

    def register(self, name: str, fn: ServiceFn, *, rerunnable: bool = False) -> None:
        if name in self._services:
            raise ValueError(f"service {name!r} is already registered")
        self._services[name] = fn
        if rerunnable:
            self.rerunnable.add(name)

    def __getitem__(self, name: str) -> ServiceFn:
        return self._services[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._services)

    def __len__(self) -> int:
        return len(self._services)


class SandboxedEnvironment(RestrictedScriptEnvironment):
    """The restricted environment plus service calls routed through the registry."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]], services: ServiceRegistry, **kwargs: Any):
        super().__init__(functions, **kwargs)
        self.services = services

    def call_service(self, context: dict[str, Any], operation_name: str = "",
                     operation_params: Mapping[str, Any] | None = None, **_: Any) -> str:
        if operation_name not in self.services:
            raise ServiceFailed(f"no service named {operation_name!r} is registered")
        params = {name: p["value"] for name, p in (operation_params or {}).items()}
        try:
            fn = self.services[operation_name]
            result = self.services.around(lambda: fn(**params))
        except ServiceFailed:
            raise
        except Exception as err:  # the adapter's own message must reach the incident, not NameError
            raise ServiceFailed(f"service {operation_name} failed: {type(err).__name__}: {err}") from err
        return json.dumps(result)


class SandboxedScriptEngine(PythonScriptEngine):
    """SpiffWorkflow's engine with 3.2.0's error reporting fixed: service errors came out as ``NameError: script``,
    a non-text first argument crashed the error builder, and the line number was only found for ``<string>``."""

    def create_task_exec_exception(self, task: Any, script: str, err: Exception) -> Exception:
        line = 0
        for frame in traceback.extract_tb(err.__traceback__):
            if frame.filename == SCRIPT_FILENAME and frame.lineno:
                line = frame.lineno
        lines = script.splitlines() if isinstance(script, str) else []
        error_line = lines[line - 1] if 0 < line <= len(lines) else ""
        if isinstance(err, SpiffWorkflowException):
            err.line_number, err.error_line = line, error_line
            return err
        detail = f"{type(err).__name__}: {err}"
        if line:
            detail += f" (line {line}: {error_line.strip()})"
        return WorkflowTaskException(detail, task=task, exception=err, line_number=line, error_line=error_line)

    def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        """Evaluate, then hold what the value drives (multi-instance copies, timer cycles) to the engine's bounds."""
        value = super().evaluate(task, expression, external_context)
        problem = runtime_problem(getattr(task, "task_spec", None), expression, value)
        if problem:
            raise WorkflowTaskException(f"{problem}（表达式 {expression[:80]}）", task=task)
        return value

    def call_service(self, task: Any, **kwargs: Any) -> Any:
        try:
            return self.environment.call_service(task.data, **kwargs)
        except Exception as err:
            raise WorkflowTaskException(str(err), task=task, exception=err) from err
