"""Small builders for form definitions used across the forms tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from forms.definition import FormDefinition, parse_form

TODAY = date(2024, 5, 15)
VALID_ID = "34052419800101001X"
OTHER_VALID_ID = "11010519491231002X"
BAD_CHECKSUM_ID = "340524198001010010"


def form_with(*fields: dict[str, Any], key: str = "sample") -> FormDefinition:
    """Return a parsed form holding `fields`, with labels filled in where missing."""
    return parse_form(definition_dict(*fields, key=key), f"forms/{key}.json")


def definition_dict(*fields: dict[str, Any], key: str = "sample") -> dict[str, Any]:
    """Return the JSON-shaped dict of a form holding `fields`."""
    return {"key": key, "title": {"zh": "示例", "en": "Sample"}, "fields": [_labelled(f) for f in fields]}


def _labelled(field: dict[str, Any]) -> dict[str, Any]:
    result = dict(field)
    if result.get("type") != "hidden":
        result.setdefault("label", result["name"])
    if "columns" in result:
        result["columns"] = [_labelled(column) for column in result["columns"]]
    return result
