"""The script environment for BPMN scripts and expressions: RestrictedPython plus a step and time budget.

Uploaded BPMN is untrusted code. Every script, condition, timer and parameter expression is compiled with
RestrictedPython (no imports, no dunder access, no exec/eval/open) and runs under a tracer that stops it after
``max_steps`` line events or ``max_seconds`` — so ``while True: pass`` ends in a clear error, not a hung worker.
Only whitelisted rule functions are visible besides a small set of safe builtins.
"""

from __future__ import annotations

import ast
import builtins as _py_builtins
import copy
import functools
import operator
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import CodeType, FrameType
from typing import Any

from RestrictedPython import (
    PrintCollector,
    compile_restricted_eval,
    compile_restricted_exec,
    limited_builtins,
    safe_builtins,
)
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import TaskDataEnvironment

from adapters.engine.errors import ScriptBudgetExceeded, ScriptPolicyError

SCRIPT_FILENAME = "<bpmn-script>"

_INPLACE = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow,
}
_EXTRA_BUILTINS = (
    "dict", "list", "set", "sum", "min", "max", "sorted", "enumerate", "zip", "any", "all", "map", "filter",
    "round", "abs", "len", "str", "int", "float", "bool",
)


@dataclass(frozen=True)
class ScriptBudget:
    """How much one script or expression may do before it is stopped."""

    max_steps: int = 200_000
    max_seconds: float = 1.0


def _inplacevar(op: str, x: Any, y: Any) -> Any:
    return _INPLACE[op](x, y)


# Names that would fail at run time anyway (they are not in the sandbox) but are refused at deploy time so a
# process owner learns about them when uploading, not when a trainee's class is stuck.
FORBIDDEN_NAMES = frozenset({
    "open", "exec", "eval", "compile", "__import__", "globals", "locals", "vars", "getattr", "setattr", "delattr",
    "input", "breakpoint", "memoryview", "exit", "quit", "super", "classmethod", "staticmethod",
})


def _static_policy(text: str, mode: str) -> None:
    try:
        tree = ast.parse(text, mode=mode)
    except SyntaxError:
        return  # RestrictedPython reports syntax errors with line numbers
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            raise ScriptPolicyError(f"Line {node.lineno}: import is not allowed in process scripts")
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            raise ScriptPolicyError(f"Line {node.lineno}: '{node.id}' is not available in process scripts")


@functools.lru_cache(maxsize=4096)
def compile_script(script: str) -> CodeType:
    """Compile a script task / pre- / post-script under the sandbox's rules (cached)."""
    _static_policy(script, "exec")
    result = compile_restricted_exec(script, filename=SCRIPT_FILENAME)
    if result.errors:
        raise ScriptPolicyError("; ".join(result.errors))
    assert result.code is not None
    return result.code


@functools.lru_cache(maxsize=4096)
def compile_expression(expression: str) -> CodeType:
    """Compile a condition or value expression under the sandbox's rules (cached)."""
    _static_policy(expression, "eval")
    result = compile_restricted_eval(expression, filename=SCRIPT_FILENAME)
    if result.errors:
        raise ScriptPolicyError("; ".join(result.errors))
    assert result.code is not None
    return result.code


class _Tracer:
    """Counts line events in sandboxed frames only, so our own whitelisted functions run at full speed."""

    def __init__(self, budget: ScriptBudget) -> None:
        self.budget = budget
        self.steps = 0
        self.deadline = time.monotonic() + budget.max_seconds

    def global_trace(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        if frame.f_code.co_filename != SCRIPT_FILENAME:
            return None
        return self.local_trace

    def local_trace(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        if event == "line":
            self.steps += 1
            if self.steps > self.budget.max_steps:
                raise ScriptBudgetExceeded(f"script stopped after {self.budget.max_steps} steps (endless loop?)")
            if self.steps % 1000 == 0 and time.monotonic() > self.deadline:
                raise ScriptBudgetExceeded(f"script stopped after {self.budget.max_seconds:g} s")
        return self.local_trace


def _run_bounded(budget: ScriptBudget, fn: Callable[[], Any]) -> Any:
    tracer = _Tracer(budget)
    previous = sys.gettrace()
    sys.settrace(tracer.global_trace)
    try:
        return fn()
    finally:
        sys.settrace(previous)


def _safe_globals(functions: Mapping[str, Callable[..., Any]]) -> dict[str, Any]:
    builtins = dict(safe_builtins)
    builtins.update(limited_builtins)
    for name in _EXTRA_BUILTINS:
        builtins[name] = getattr(_py_builtins, name)
    builtins["range"] = limited_builtins["range"]
    g: dict[str, Any] = {
        "__builtins__": builtins,
        "_getattr_": safer_getattr, "_getitem_": default_guarded_getitem,
        "_getiter_": default_guarded_getiter, "_write_": full_write_guard,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_inplacevar_": _inplacevar, "_print_": PrintCollector,
    }
    g.update(functions)
    return g


class RestrictedScriptEnvironment(TaskDataEnvironment):
    """A SpiffWorkflow script environment that only runs RestrictedPython code within a budget."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]] | None = None,
                 budget: ScriptBudget | None = None) -> None:
        self.budget = budget or ScriptBudget()
        super().__init__(_safe_globals(functions or {}))

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> Any:
        code = compile_expression(expression)
        my_globals = copy.copy(self.globals)
        my_globals.update(external_context or {})
        my_globals.update(context)
        return _run_bounded(self.budget, lambda: eval(code, my_globals))  # noqa: S307 - restricted code

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        self.check_for_overwrite(context, external_context or {})
        code = compile_script(script)
        my_globals = copy.copy(self.globals)
        my_globals.update(external_context or {})
        context.update(my_globals)
        try:
            _run_bounded(self.budget, lambda: exec(code, context))  # noqa: S102 - restricted code
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        return True
