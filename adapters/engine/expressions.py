"""Find every script and expression in a parsed spec, so deployment can compile each under the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from adapters.engine.user_tasks import describe_user_task, is_user_task


@dataclass(frozen=True)
class CodeItem:
    """One piece of author code: where it is, whether it is a statement block or an expression, the text."""

    element: str
    kind: str  # "script" or "expression"
    what: str
    text: str


def code_items(spec: Any) -> Iterator[CodeItem]:
    """Yield all scripts/expressions of the task specs of one process spec."""
    for task_spec in spec.task_specs.values():
        element = task_spec.bpmn_id or task_spec.name
        yield from _scripts(task_spec, element)
        yield from _conditions(task_spec, element)
        yield from _events(task_spec, element)
        yield from _multi_instance(task_spec, element)
        yield from _service(task_spec, element)
        yield from _decision(task_spec, element)
        if is_user_task(task_spec):
            info = describe_user_task(task_spec)
            for what, text in (("candidateOrganisation", info.candidate_organisation),
                               ("dueDate", info.due_date)):
                if text:
                    yield CodeItem(element, "expression", what, text)


def _scripts(ts: Any, element: str) -> Iterator[CodeItem]:
    for attr, what in (("script", "script"), ("prescript", "preScript"), ("postscript", "postScript")):
        text = getattr(ts, attr, None)
        if isinstance(text, str) and text.strip():
            yield CodeItem(element, "script", what, text)


def _conditions(ts: Any, element: str) -> Iterator[CodeItem]:
    for condition, target in getattr(ts, "cond_task_specs", []) or []:
        if condition is not None and condition.args:
            yield CodeItem(element, "expression", f"condition to {target}", condition.args[0])


def _events(ts: Any, element: str) -> Iterator[CodeItem]:
    definition = getattr(ts, "event_definition", None)
    expression = getattr(definition, "expression", None)
    if isinstance(expression, str) and expression.strip():
        yield CodeItem(element, "expression", type(definition).__name__, expression)


def _multi_instance(ts: Any, element: str) -> Iterator[CodeItem]:
    for attr in ("cardinality", "condition"):
        text = getattr(ts, attr, None) if hasattr(ts, "task_spec") else None
        if isinstance(text, str) and text.strip():
            yield CodeItem(element, "expression", attr, text)


def _service(ts: Any, element: str) -> Iterator[CodeItem]:
    for name, param in (getattr(ts, "operation_params", None) or {}).items():
        value = param.get("value") if isinstance(param, dict) else None
        if isinstance(value, str) and value.strip():
            yield CodeItem(element, "expression", f"parameter {name}", value)


def _decision(ts: Any, element: str) -> Iterator[CodeItem]:
    engine = getattr(ts, "dmnEngine", None)
    table = getattr(engine, "decision_table", None)
    if table is None:
        return
    for item in table.inputs:
        if item.expression:
            yield CodeItem(element, "expression", f"DMN input {item.label or item.id}", item.expression)
    for rule in table.rules:
        for entry in rule.outputEntries:
            if entry.text:
                yield CodeItem(element, "expression", f"DMN rule {rule.id} output", entry.text)
