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
import datetime as dt
import functools
import operator
import sys
import time
import uuid
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
from RestrictedPython.transformer import RestrictingNodeTransformer
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
    if op in ("*=", "**="):
        return _bounded_binop(op[:-1], x, y)
    return _INPLACE[op](x, y)


# Names that would fail at run time anyway (they are not in the sandbox) but are refused at deploy time so a
# process owner learns about them when uploading, not when a trainee's class is stuck.
FORBIDDEN_NAMES = frozenset({
    "open", "exec", "eval", "compile", "__import__", "globals", "locals", "vars", "getattr", "setattr", "delattr",
    "input", "breakpoint", "memoryview", "exit", "quit", "super", "classmethod", "staticmethod",
})


# String methods that build a result of any requested size in one C call (the step counter never sees them).
UNBOUNDED_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
MAX_SCRIPT_CHARS = 20_000
MAX_RESULT_ITEMS = 1_000_000
MAX_INT_BITS = 64_000


def _static_policy(text: str, mode: str) -> None:
    if len(text) > MAX_SCRIPT_CHARS:
        raise ScriptPolicyError(f"script is {len(text)} characters; the limit is {MAX_SCRIPT_CHARS}")
    try:
        tree = ast.parse(text, mode=mode)
    except SyntaxError:
        return  # RestrictedPython reports syntax errors with line numbers
    except (RecursionError, MemoryError, ValueError) as err:
        raise ScriptPolicyError(f"script is too deeply nested to check ({type(err).__name__})") from err
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 1)
        if isinstance(node, ast.Import | ast.ImportFrom):
            raise ScriptPolicyError(f"Line {line}: import is not allowed in process scripts")
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            raise ScriptPolicyError(f"Line {line}: '{node.id}' is not available in process scripts")
        if isinstance(node, ast.Try | ast.TryStar):
            # A script that catches the budget error would run on without one; errors become incidents instead.
            raise ScriptPolicyError(f"Line {line}: try/except is not allowed in process scripts")
        if isinstance(node, ast.Attribute) and node.attr in UNBOUNDED_METHODS:
            raise ScriptPolicyError(f"Line {line}: '.{node.attr}()' is not available in process scripts")


class _BoundedPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy plus guarded ``**``, ``*`` and ``<<``, which can build huge values in one step."""

    _GUARDED = {ast.Pow: "**", ast.Mult: "*", ast.LShift: "<<"}

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        visited = super().visit_BinOp(node)
        if not isinstance(visited, ast.BinOp):
            return visited
        node = visited
        symbol = self._GUARDED.get(type(node.op))
        if symbol is None:
            return node
        call = ast.Call(func=ast.Name("_binop_", ast.Load()), args=[ast.Constant(symbol), node.left, node.right],
                        keywords=[])
        return ast.fix_missing_locations(ast.copy_location(call, node))


def _too_big(message: str) -> ScriptBudgetExceeded:
    return ScriptBudgetExceeded(f"{message}; process scripts may not build values that large")


def _bounded_binop(symbol: str, left: Any, right: Any) -> Any:
    if symbol == "**" and isinstance(right, int) and isinstance(left, int | float) and abs(left) > 1 \
            and abs(right) * max(1, abs(int(left)).bit_length()) > MAX_INT_BITS:
        raise _too_big(f"{left!r} ** {right!r} is too large")
    if symbol == "<<" and isinstance(right, int) and right > MAX_INT_BITS:
        raise _too_big("a shift that large")
    if symbol == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, str | bytes | list | tuple) and isinstance(times, int) and \
                    len(seq) * times > MAX_RESULT_ITEMS:
                raise _too_big(f"repeating a sequence {times} times")
        if isinstance(left, int) and isinstance(right, int) and \
                left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise _too_big("an integer that large")
    return _BINOPS[symbol](left, right)


_BINOPS = {"**": operator.pow, "*": operator.mul, "<<": operator.lshift}


@functools.lru_cache(maxsize=4096)
def compile_script(script: str) -> CodeType:
    """Compile a script task / pre- / post-script under the sandbox's rules (cached)."""
    _static_policy(script, "exec")
    result = compile_restricted_exec(script, filename=SCRIPT_FILENAME, policy=_BoundedPolicy)
    if result.errors:
        raise ScriptPolicyError("; ".join(result.errors))
    assert result.code is not None
    return result.code


@functools.lru_cache(maxsize=4096)
def compile_expression(expression: str) -> CodeType:
    """Compile a condition or value expression under the sandbox's rules (cached)."""
    _static_policy(expression, "eval")
    result = compile_restricted_eval(expression, filename=SCRIPT_FILENAME, policy=_BoundedPolicy)
    if result.errors:
        raise ScriptPolicyError("; ".join(result.errors))
    assert result.code is not None
    return result.code


_SCALARS = (str, float, bool, type(None), dt.date, dt.time, dt.timedelta, uuid.UUID)


MAX_DATA_UNITS = 2_000_000  # characters of text plus items of lists and dicts, counted as the JSON would repeat them


def storable_problem(value: Any) -> str | None:
    """Why ``value`` cannot be stored as workflow data (None when it can): checked after every script. A list that
    holds the same long text a million times is small in memory but huge as saved state, so size is counted the
    way the serializer would write it."""
    budget = [MAX_DATA_UNITS]
    return _storable(value, 0, budget)


def _storable(value: Any, depth: int, budget: list[int]) -> str | None:
    if isinstance(value, str):
        budget[0] -= len(value)
    elif isinstance(value, _SCALARS):
        budget[0] -= 1
    elif isinstance(value, int):
        if value.bit_length() > 4000:
            return "is an integer too large to store"
        budget[0] -= 1
    elif depth > 20:
        return "is nested too deeply"
    elif isinstance(value, list | tuple):
        budget[0] -= len(value)
        for item in value:
            if budget[0] < 0:
                break
            if problem := _storable(item, depth + 1, budget):
                return problem
    elif isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            return "is a dict with keys that are not text"
        budget[0] -= len(value)
        for item in value.values():
            if budget[0] < 0:
                break
            if problem := _storable(item, depth + 1, budget):
                return problem
    else:
        return f"holds a {type(value).__name__}"
    return f"is too large to store (more than {MAX_DATA_UNITS:,} characters and items)" if budget[0] < 0 else None


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
    for name in ("pow", "setattr", "delattr", "__build_class__"):
        builtins.pop(name, None)
    g: dict[str, Any] = {
        "__builtins__": builtins,
        "_getattr_": safer_getattr, "_getitem_": default_guarded_getitem,
        "_getiter_": default_guarded_getiter, "_write_": full_write_guard,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_inplacevar_": _inplacevar, "_print_": PrintCollector, "_binop_": _bounded_binop,
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
        problems = {name: p for name, value in context.items() if (p := storable_problem(value))}
        for name in problems:
            del context[name]  # the task keeps only storable data, so the instance can still be saved
        if problems:
            name, problem = next(iter(problems.items()))
            raise TypeError(f"variable '{name}' {problem}: workflow data must be text, numbers, true/false, "
                            "dates, lists or dicts")
        return True
