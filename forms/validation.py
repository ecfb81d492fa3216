"""Validation of a submission against a form definition; the same rules for HTML, API and CLI."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from forms.cleaners import BAD_FORMAT, clean_value, empty_value, is_blank
from forms.definition import FieldDefinition, FormDefinition
from forms.formpost import BLANK_ROW_ALLOWANCE, from_form_post
from forms.labels import label_for

__all__ = ["FORM_ERROR_KEY", "ValidationResult", "from_form_post", "validate"]

# Field names never start with "_", so this key cannot collide with a field's error.
FORM_ERROR_KEY = "_form"
REQUIRED = "请填写此项"
_REQUIRED_BY_TYPE = {
    "choice": "请选择此项", "multichoice": "请至少选择一项", "boolean": "请勾选此项",
    "file": "请上传文件", "table": "请至少填写一行",
}


@dataclass(frozen=True)
class ValidationResult:
    """Cleaned JSON-safe values of every input field, and Chinese errors keyed by field path."""

    cleaned: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Return True when there are no errors."""
        return not self.errors


def validate(definition: FormDefinition, data: Mapping[str, object], *, today: date) -> ValidationResult:
    """Clean and check `data`; unknown keys and read-only fields are dropped, nothing is raised.

    Error keys are field names, or "table[row].column" for table cells (row = position in the
    submitted list); FORM_ERROR_KEY holds an error about the submission as a whole.
    """
    if not isinstance(data, Mapping):
        return ValidationResult({}, {FORM_ERROR_KEY: "提交的数据格式不正确"})
    if isinstance(today, datetime):
        today = today.date()  # a datetime does not compare with the dates it is checked against
    cleaned, errors = _validate_fields(definition.fields, data, today, "")
    return ValidationResult(cleaned, errors)


def _validate_fields(
    fields: Sequence[FieldDefinition], data: Mapping[str, object], today: date, prefix: str
) -> tuple[dict[str, Any], dict[str, str]]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in fields:
        if item.readonly:
            continue  # shown to the user but supplied by the service, never taken from a submission
        key = prefix + item.name
        if item.type == "table":
            cleaned[item.name], table_errors = _validate_table(item, data.get(item.name), today, key)
            errors.update(table_errors)
            continue
        cleaned[item.name], error = clean_value(item, data.get(item.name), today)
        if error:
            errors[key] = error
    by_name = {item.name: item for item in fields}
    for item in fields:
        key = prefix + item.name
        if item.readonly or key in errors:
            continue
        error = _required_error(item, cleaned) or _order_error(item, cleaned, by_name)
        if error:
            errors[key] = error
    return cleaned, errors


def _validate_table(
    table: FieldDefinition, raw: object, today: date, key: str
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    if is_blank(raw):
        return [], _row_count_error(table, 0, key)
    if not isinstance(raw, list | tuple):
        return [], {key: BAD_FORMAT}
    if len(raw) > table.max_rows + BLANK_ROW_ALLOWANCE:
        return [], {key: f"最多只能填写 {table.max_rows} 行"}
    rows: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    for index, row in enumerate(raw):
        where = f"{key}[{index}]"
        if not isinstance(row, Mapping):
            errors[where] = f"第 {index + 1} 行{BAD_FORMAT}"
            continue
        if all(is_blank(row.get(column.name)) or row.get(column.name) is False for column in table.columns):
            continue  # an unused blank row of the HTML form
        cleaned, cell_errors = _validate_fields(table.columns, row, today, where + ".")
        rows.append(cleaned)
        errors.update(cell_errors)
    return rows, {**errors, **_row_count_error(table, len(rows), key)}


def _row_count_error(table: FieldDefinition, count: int, key: str) -> dict[str, str]:
    if count > table.max_rows:
        return {key: f"最多只能填写 {table.max_rows} 行"}
    if count < table.min_rows:
        return {key: f"至少填写 {table.min_rows} 行"}
    return {}


def _same(value: object, expected: object) -> bool:
    # type() too, because True == 1 and a boolean answer must not satisfy a numeric condition.
    return type(value) is type(expected) and value == expected


def _condition_met(item: FieldDefinition, cleaned: Mapping[str, Any]) -> bool:
    for name, accepted in item.required_if:
        value = cleaned.get(name)
        values = value if isinstance(value, list) else [value]
        if not any(_same(one, expected) for one in values for expected in accepted):
            return False
    return bool(item.required_if)


def _required_error(item: FieldDefinition, cleaned: Mapping[str, Any]) -> str | None:
    if not (item.required or _condition_met(item, cleaned)):
        return None
    if cleaned.get(item.name) in (None, "", [], empty_value(item)):
        return _REQUIRED_BY_TYPE.get(item.type, REQUIRED)
    return None


def _order_error(
    item: FieldDefinition, cleaned: Mapping[str, Any], by_name: Mapping[str, FieldDefinition]
) -> str | None:
    if item.after_field is None:
        return None
    value, other = cleaned.get(item.name), cleaned.get(item.after_field)
    # ISO strings of the same type and format compare in date order.
    if isinstance(value, str) and isinstance(other, str) and value < other:
        return f"不能早于“{label_for(by_name[item.after_field].label, 'zh')}”"
    return None
