"""Rebuild submission data from an HTML form post (a MultiDict-like object with `getlist`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from forms.definition import FieldDefinition, FormDefinition

# Blank rows an HTML table may carry beyond max_rows (unused "add row" lines) before we refuse.
BLANK_ROW_ALLOWANCE = 100


class FormPost(Protocol):
    """What we need of werkzeug's MultiDict: every value of a key, and iteration over the keys."""

    def getlist(self, key: str) -> list[Any]: ...

    def __iter__(self) -> Iterator[str]: ...


def from_form_post(definition: FormDefinition, form: FormPost) -> dict[str, object]:
    """Return submission data for `validate` from posted names.

    Scalars use the field name (first value wins); multichoice and multiple-file fields use every
    value of the name; table cells are named "<table>-<row>-<column>" (e.g. "trainees-0-id_number"),
    and rows are returned in ascending row-number order, renumbered from 0 without gaps.
    """
    return _values(definition.fields, form, "")


def _values(fields: Sequence[FieldDefinition], form: FormPost, prefix: str) -> dict[str, object]:
    data: dict[str, object] = {}
    for field in fields:
        name = prefix + field.name
        if field.type == "table":
            data[field.name] = _rows(field, form, name)
        elif field.type == "multichoice" or (field.type == "file" and field.multiple):
            data[field.name] = list(form.getlist(name))
        else:
            values = form.getlist(name)
            data[field.name] = values[0] if values else None
    return data


def _rows(table: FieldDefinition, form: FormPost, name: str) -> list[dict[str, object]]:
    cell = re.compile(re.escape(name) + r"-([0-9]{1,6})-")
    indices = sorted({int(match.group(1)) for key in form if (match := cell.match(key))})
    # One row past the allowance is enough for validate() to report "too many rows".
    indices = indices[: table.max_rows + BLANK_ROW_ALLOWANCE + 1]
    return [_values(table.columns, form, f"{name}-{index}-") for index in indices]
