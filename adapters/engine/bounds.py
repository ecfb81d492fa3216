"""What an uploaded diagram may make the engine do, at most: copies of a multi-instance step, loop rounds, call
depth, timer cycles. Checked at deployment where the value is a constant, and again at run time, where an
expression computes it (a breach then ends the step as an incident naming the element, never a runaway)."""

from __future__ import annotations

import ast
import re
from typing import Any

MAX_CARDINALITY = 1000  # a multi-instance step with more copies than this is almost certainly a mistake
MAX_LOOP = 1000
MAX_CALL_DEPTH = 3
MAX_TIMER_CYCLES = 1000  # a cycle timer repeats at most this often ("R1000/P1D" is nearly three years daily)

_CYCLE = re.compile(r"^\s*R(\d*)\s*/", re.IGNORECASE)


def cycle_problem(value: Any) -> str | None:
    """Why a timer cycle (an ISO 8601 repeating interval such as ``R3/PT1H``) is refused, or None."""
    if not isinstance(value, str):
        return f"定时周期应为“R次数/间隔”形式的文本（例如 \"R3/PT1H\"），实际为 {type(value).__name__}"
    match = _CYCLE.match(value)
    if match is None:
        return f"定时周期“{value[:40]}”不是“R次数/间隔”形式（例如 \"R3/PT1H\"）"
    if not match.group(1):
        return f"定时周期“{value[:40]}”没有重复次数，会无限重复：请写明次数，例如 \"R12/P1M\""
    if int(match.group(1)) > MAX_TIMER_CYCLES:
        return f"定时周期重复 {match.group(1)} 次，超过上限 {MAX_TIMER_CYCLES} 次：请减少"
    return None


def constant_cycle_problem(expression: str) -> str | None:
    """At deployment: the problem of a timer cycle written as a constant (expressions are checked at run time)."""
    try:
        value = ast.literal_eval(expression.strip())
    except (ValueError, SyntaxError):
        return None
    return cycle_problem(value)


def runtime_problem(task_spec: Any, expression: str, value: Any) -> str | None:
    """At run time: the problem of a value an expression gave for a bounded property of ``task_spec``."""
    if expression == getattr(task_spec, "cardinality", None):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return f"多实例份数应为非负整数，实际为 {value!r:.40}"
        if value > MAX_CARDINALITY:
            return f"多实例份数 {value} 超过上限 {MAX_CARDINALITY}"
    definition = getattr(task_spec, "event_definition", None)
    is_cycle = type(definition).__name__ == "CycleTimerEventDefinition"
    if is_cycle and expression == getattr(definition, "expression", None):
        return cycle_problem(value)
    return None
