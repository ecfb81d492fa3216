"""The engine facade the services use: parsed specs cached per version, instances started or restored."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from SpiffWorkflow.util.task import TaskState

from adapters.engine import clock
from adapters.engine.instance import WorkflowInstance
from adapters.engine.sandbox import ScriptBudget
from adapters.engine.serializer import SpecBundle, spec_from_json, state_from_json
from adapters.engine.service_registry import SandboxedEnvironment, SandboxedScriptEngine, ServiceRegistry
from adapters.engine.workflow import DeepBpmnWorkflow


class WorkflowRuntime:
    """Builds instances with the sandboxed script engine; keeps an LRU of parsed specs by version id."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]] | None = None,
                 services: ServiceRegistry | None = None, *, budget: ScriptBudget | None = None,
                 cache_size: int = 256) -> None:
        clock.install()  # SpiffWorkflow's timers must read the engine clock, not the wall clock
        self.services = services if services is not None else ServiceRegistry()
        self.function_names = frozenset(functions or {})
        environment = SandboxedEnvironment(functions or {}, self.services, budget=budget)
        self.script_engine = SandboxedScriptEngine(environment=environment)
        self._specs: OrderedDict[Any, SpecBundle] = OrderedDict()
        self._cache_size = cache_size

    def bundle(self, version_key: Any, spec_json: Callable[[], str]) -> SpecBundle:
        """The parsed spec of a version, deserialized at most once per process lifetime (LRU)."""
        cached = self._specs.get(version_key)
        if cached is not None:
            self._specs.move_to_end(version_key)
            return cached
        bundle = spec_from_json(spec_json())
        self._specs[version_key] = bundle
        if len(self._specs) > self._cache_size:
            self._specs.popitem(last=False)
        return bundle

    def start(self, bundle: SpecBundle, data: Mapping[str, Any]) -> WorkflowInstance:
        workflow = DeepBpmnWorkflow(bundle.spec, bundle.subprocess_specs, script_engine=self.script_engine)
        start = workflow.get_next_task(state=TaskState.READY)
        if start is not None:
            start.set_data(**dict(data))
        instance = WorkflowInstance(workflow, self._attach)
        instance.advance()
        return instance

    def restore(self, bundle: SpecBundle, state_json: str) -> WorkflowInstance:
        return WorkflowInstance(state_from_json(state_json, bundle), self._attach)

    def attach(self, workflow: DeepBpmnWorkflow) -> None:
        """Give a workflow restored outside ``restore`` (e.g. by a migration) the sandboxed script engine."""
        self._attach(workflow)

    def _attach(self, workflow: DeepBpmnWorkflow) -> None:
        # The script engine is not serialized: without this a restored workflow falls back to plain eval/exec.
        # Called processes read it through their top workflow.
        workflow.script_engine = self.script_engine
