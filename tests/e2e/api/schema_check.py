"""A tiny checker for the subset of JSON Schema (OpenAPI 3.1) the API document uses; returns the problems."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

TYPES: dict[str, Any] = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
    "integer": int, "number": (int, float),
}


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def problems(document: dict[str, Any], schema: dict[str, Any], value: Any, path: str = "$") -> list[str]:
    schema = resolve(document, schema)
    found: list[str] = []
    for part in schema.get("allOf", []):
        found += problems(document, part, value, path)
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(value, kind) for kind in kinds):
            return [*found, f"{path}: expected {kinds}, got {type(value).__name__} {value!r:.60}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        found += _object_problems(document, schema, value, path)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += problems(document, schema["items"], item, f"{path}[{i}]")
    if isinstance(value, str):
        found += _string_problems(schema, value, path)
    return found


def _is(value: Any, kind: str) -> bool:
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, TYPES[kind])


def _object_problems(document: dict[str, Any], schema: dict[str, Any], value: dict[str, Any],
                     path: str) -> list[str]:
    found = [f"{path}: missing required {name!r}" for name in schema.get("required", []) if name not in value]
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            found += problems(document, properties[name], item, f"{path}.{name}")
        elif isinstance(extra, dict):
            found += problems(document, extra, item, f"{path}.{name}")
        elif extra is False:
            found.append(f"{path}: unexpected property {name!r}")
    return found


def _string_problems(schema: dict[str, Any], value: str, path: str) -> list[str]:
    found = []
    if "pattern" in schema and not re.search(schema["pattern"], value):
        found.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
        found.append(f"{path}: length {len(value)} out of bounds")
    fmt = schema.get("format")
    try:
        if fmt == "date-time":
            parsed = dt.datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                found.append(f"{path}: date-time {value!r} has no time zone")
        elif fmt == "date":
            dt.date.fromisoformat(value)
    except ValueError:
        found.append(f"{path}: {value!r} is not a {fmt}")
    return found
