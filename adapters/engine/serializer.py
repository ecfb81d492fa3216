"""Specs are serialized once per process version; instances store only their state (GUIDE §7).

The converter below relies on SpiffWorkflow 3.2.0 internals; ``tests/unit/engine/test_serializer.py`` round-trips
every diagram so an upgrade that breaks it fails loudly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from adapters.engine.workflow import DeepBpmnWorkflow


class _StateOnlyConverter(BpmnWorkflowConverter):
    """Leaves ``spec`` and ``subprocess_specs`` out; the cached spec objects are passed in on restore."""

    def to_dict(self, workflow: Any) -> dict[str, Any]:
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["spec_name"] = workflow.spec.name
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any], spec: Any = None, subprocess_specs: Any = None) -> Any:
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_config = dict(SPIFF_CONFIG)
_config.pop(next(k for k in _config if getattr(k, "__name__", "") == "BpmnWorkflow"))
_config[DeepBpmnWorkflow] = _StateOnlyConverter
_SPLIT = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_config))


@dataclass(frozen=True)
class SpecBundle:
    """A parsed process spec with the specs of every process it calls."""

    spec: BpmnProcessSpec
    subprocess_specs: dict[str, BpmnProcessSpec]


def spec_to_json(bundle: SpecBundle) -> str:
    return json.dumps({
        "spec": _SPLIT.to_dict(bundle.spec),
        "subprocess_specs": {k: _SPLIT.to_dict(v) for k, v in bundle.subprocess_specs.items()},
    })


def spec_from_json(text: str) -> SpecBundle:
    data = json.loads(text)
    subs = {k: _SPLIT.from_dict(v) for k, v in data["subprocess_specs"].items()}
    return SpecBundle(_SPLIT.from_dict(data["spec"]), subs)


def state_to_json(workflow: DeepBpmnWorkflow) -> str:
    return str(_SPLIT.serialize_json(workflow))


def state_from_json(text: str, bundle: SpecBundle) -> DeepBpmnWorkflow:
    """Restore an instance. Only ever called on state this system wrote (migrations can eval old JSON)."""
    dct = json.loads(text)
    _SPLIT.migrate(dct)
    workflow: DeepBpmnWorkflow = _SPLIT.from_dict(dct, spec=bundle.spec, subprocess_specs=bundle.subprocess_specs)
    return workflow


def spec_registry() -> Any:
    """The converter registry that turns task specs into dicts (what ``SpiffWorkflow.bpmn.util.diff`` compares)."""
    return _SPLIT.registry
