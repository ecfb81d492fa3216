"""Per-type options of a field definition, read strictly from its JSON object."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from forms._reader import IDENTIFIER, Node

COMMON_KEYS = frozenset({"name", "type", "label", "help", "placeholder", "required", "required_if"})
_TEXT_KEYS = frozenset({"min_length", "max_length", "pattern", "pattern_message", "readonly"})
_DATE_KEYS = frozenset({"date_min", "date_max", "after_field", "readonly"})
TYPE_KEYS: dict[str, frozenset[str]] = {
    "text": _TEXT_KEYS,
    "textarea": _TEXT_KEYS,
    "integer": frozenset({"min", "max", "readonly"}),
    "decimal": frozenset({"min", "max", "places", "readonly"}),
    "date": _DATE_KEYS,
    "datetime": _DATE_KEYS,
    "boolean": frozenset({"readonly"}),
    "choice": frozenset({"choices", "choices_from", "widget", "readonly"}),
    "multichoice": frozenset({"choices", "choices_from", "readonly"}),
    "id_number": frozenset({"readonly"}),
    "mobile": frozenset({"readonly"}),
    "email": frozenset({"readonly"}),
    "file": frozenset({"accept", "max_mb", "multiple"}),
    "table": frozenset({"columns", "min_rows", "max_rows"}),
    "hidden": frozenset({"value_type", "max_length"}),
}
DEFAULT_MAX_LENGTH = {"text": 2000, "textarea": 20000, "hidden": 2000}
LENGTH_CAP = 100_000
DEFAULT_MAX_ROWS = 1000
ROWS_CAP = 5000
DEFAULT_MAX_MB = 20
MB_CAP = 200
MAX_PLACES = 6
_MIME = re.compile(r"[a-z]+/(\*|[a-z0-9][a-z0-9.+-]*)")
_SCALAR = (str, int, bool)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_options(node: Node, ftype: str) -> dict[str, Any]:
    """Return the FieldDefinition keyword arguments for the type-specific options."""
    options: dict[str, Any] = {"required_if": _condition(node)}
    if "readonly" in TYPE_KEYS[ftype]:
        options["readonly"] = node.flag("readonly")
    if ftype in DEFAULT_MAX_LENGTH:
        options.update(_lengths(node, ftype))
    if ftype in ("text", "textarea"):
        options.update(_pattern(node))
    if ftype in ("integer", "decimal"):
        options.update(_bounds(node, ftype))
    if ftype in ("date", "datetime"):
        options.update(_dates(node))
    if ftype in ("choice", "multichoice"):
        options.update(_choices(node, ftype))
    if ftype == "file":
        options.update(_file(node))
    if ftype == "table":
        options.update(_rows(node))
    if ftype == "hidden":
        options["value_type"] = _one_of(node, "value_type", ("text", "integer"), "text")
    return options


def _one_of(node: Node, key: str, allowed: tuple[str, ...], default: str) -> str:
    value = node.get(key)
    if value is None:
        return default
    if value not in allowed:
        node.fail(f"'{key}' must be one of {', '.join(allowed)}, got {value!r}")
    return str(value)


def _condition(node: Node) -> tuple[tuple[str, tuple[object, ...]], ...]:
    value = node.get("required_if")
    if value is None:
        return ()
    if not isinstance(value, dict) or not value:
        node.fail("'required_if' must be an object such as {\"decision\": \"return\"}")
    condition = []
    for name, expected in value.items():
        if not IDENTIFIER.fullmatch(name):
            node.fail(f"'required_if' refers to an invalid field name {name!r}")
        accepted = tuple(expected) if isinstance(expected, list) else (expected,)
        if not accepted or not all(isinstance(item, _SCALAR) for item in accepted):
            node.fail(f"'required_if.{name}' must be a string, number, boolean or a list of them")
        condition.append((name, accepted))
    return tuple(condition)


def _lengths(node: Node, ftype: str) -> dict[str, Any]:
    low = node.integer("min_length", 0, LENGTH_CAP)
    high = node.integer("max_length", 1, LENGTH_CAP) or DEFAULT_MAX_LENGTH[ftype]
    if low is not None and low > high:
        node.fail(f"'min_length' ({low}) is greater than 'max_length' ({high})")
    return {"min_length": low, "max_length": high}


def _pattern(node: Node) -> dict[str, Any]:
    source = node.text("pattern")
    message = node.label("pattern_message")
    if source is None:
        if message is not None:
            node.fail("'pattern_message' given without 'pattern'")
        return {}
    try:
        compiled = re.compile(source)
    except re.error as exc:
        node.fail(f"'pattern' is not a valid regular expression: {exc}")
    return {"pattern": compiled, "pattern_message": message}


def _number(node: Node, key: str, ftype: str) -> Decimal | None:
    value = node.get(key)
    if value is None:
        return None
    if ftype == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        node.fail(f"'{key}' must be an integer")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        node.fail(f"'{key}' must be a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        node.fail(f"'{key}' must be a number, got {value!r}")
    if not number.is_finite():
        node.fail(f"'{key}' must be a finite number")
    return number


def _bounds(node: Node, ftype: str) -> dict[str, Any]:
    low, high = _number(node, "min", ftype), _number(node, "max", ftype)
    if low is not None and high is not None and low > high:
        node.fail(f"'min' ({low}) is greater than 'max' ({high})")
    options: dict[str, Any] = {"min": low, "max": high}
    if ftype == "decimal":
        places = node.integer("places", 0, MAX_PLACES)
        options["places"] = 2 if places is None else places
    return options


def _date_limit(node: Node, key: str) -> str | None:
    value = node.text(key)
    if value is None or value == "today":
        return value
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        date.fromisoformat(value)
    except ValueError:
        node.fail(f"'{key}' must be an ISO date (YYYY-MM-DD) or \"today\", got {value!r}")
    return value


def _dates(node: Node) -> dict[str, Any]:
    after = node.text("after_field")
    if after is not None and not IDENTIFIER.fullmatch(after):
        node.fail(f"'after_field' must be a field name, got {after!r}")
    return {"date_min": _date_limit(node, "date_min"), "date_max": _date_limit(node, "date_max"),
            "after_field": after}


def _choice(node: Node, item: object, path: str) -> tuple[str, object]:
    if isinstance(item, str):
        return item, item
    if isinstance(item, list) and len(item) == 2 and isinstance(item[0], str):
        label = Node({"label": item[1]}, node.source, path).label("label", required=True)
        return item[0], label
    Node({}, node.source, path).fail('a choice must be "value" or ["value", label]')


def _choices(node: Node, ftype: str) -> dict[str, Any]:
    widget = _one_of(node, "widget", ("select", "radio"), "select") if ftype == "choice" else "checkbox"
    source = node.get("choices_from")
    if source is not None:
        # Choices from live records (e.g. the exam sites of the jurisdiction), filled in by the services.
        if node.get("choices") is not None:
            node.fail("give either 'choices' or 'choices_from', not both")
        if not isinstance(source, str) or not IDENTIFIER.fullmatch(source):
            node.fail(f"'choices_from' must name a choice source such as 'exam_sites_of_jurisdiction', got {source!r}")
        return {"choices": (), "choices_from": source, "widget": widget}
    choices = [_choice(node, item, path) for _, item, path in node.items("choices", required=True)]
    values = [value for value, _ in choices]
    if any(not value.strip() or len(value) > 200 for value in values):
        node.fail("choice values must be non-empty strings of at most 200 characters")
    duplicates = sorted({value for value in values if values.count(value) > 1})
    if duplicates:
        node.fail(f"duplicate choice value(s) {', '.join(map(repr, duplicates))}")
    return {"choices": tuple(choices), "widget": widget}


def _file(node: Node) -> dict[str, Any]:
    accept = []
    for _, item, path in node.items("accept"):
        if not isinstance(item, str) or not _MIME.fullmatch(item):
            Node({}, node.source, path).fail(f"'accept' entries must be MIME types like 'image/png', "
                                             f"got {item!r}")
        accept.append(item)
    max_mb = node.integer("max_mb", 1, MB_CAP)
    return {"accept": tuple(accept), "max_mb": max_mb or DEFAULT_MAX_MB, "multiple": node.flag("multiple")}


def _rows(node: Node) -> dict[str, Any]:
    low = node.integer("min_rows", 0, ROWS_CAP) or 0
    high = node.integer("max_rows", 1, ROWS_CAP) or DEFAULT_MAX_ROWS
    if low > high:
        node.fail(f"'min_rows' ({low}) is greater than 'max_rows' ({high})")
    return {"min_rows": low, "max_rows": high}
