"""Form definitions: frozen dataclasses parsed strictly from the JSON of `forms/<key>.json`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from forms._options import COMMON_KEYS, DEFAULT_MAX_ROWS, TYPE_KEYS, parse_options
from forms._reader import Node
from forms.errors import FormDefinitionError
from forms.labels import Label

__all__ = [
    "FIELD_TYPES", "FieldDefinition", "FormDefinition", "FormDefinitionError", "ShowItem", "parse_form",
]

FIELD_TYPES = tuple(TYPE_KEYS)
# Uploads and nested tables inside a table row would need a per-row upload protocol; not supported.
COLUMN_TYPES = tuple(t for t in FIELD_TYPES if t not in ("table", "file"))
# These names are attributes of the HTML form object (WTForms) or its CSRF field; a field with
# such a name would shadow them when the form is rendered.
RESERVED_NAMES = frozenset({
    "csrf_token", "data", "errors", "form_errors", "hidden_tag", "is_submitted", "meta", "populate_obj",
    "post_process", "process", "validate", "validate_on_submit", "Meta",
})
FORM_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")
_FORM_KEYS = frozenset({"key", "title", "description", "show", "fields", "checks"})
_VAR = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*")

Choice = tuple[str, Label]
Condition = tuple[tuple[str, tuple[object, ...]], ...]


@dataclass(frozen=True)
class FieldDefinition:
    """One input of a form (or one column of a table); options not used by its type keep defaults."""

    name: str
    type: str
    label: Label
    help: Label | None = None
    placeholder: Label | None = None
    required: bool = False
    required_if: Condition = ()
    readonly: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    pattern_message: Label | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    places: int = 2
    date_min: str | None = None
    date_max: str | None = None
    after_field: str | None = None
    choices: tuple[Choice, ...] = ()
    choices_from: str | None = None  # a live-record source resolved by the services (choices are empty until then)
    widget: str | None = None
    accept: tuple[str, ...] = ()
    max_mb: int | None = None
    multiple: bool = False
    columns: tuple[FieldDefinition, ...] = ()
    min_rows: int = 0
    max_rows: int = DEFAULT_MAX_ROWS
    value_type: str = "text"

    @property
    def choice_values(self) -> tuple[str, ...]:
        """Return the allowed values of a choice or multichoice field."""
        return tuple(value for value, _ in self.choices)

    def column(self, name: str) -> FieldDefinition:
        """Return a table column by name (KeyError when absent)."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


@dataclass(frozen=True)
class ShowItem:
    """A read-only display of a workflow data value from earlier steps."""

    var: str
    label: Label


@dataclass(frozen=True)
class FormDefinition:
    """A whole form: key, bilingual title and description, displayed values and input fields."""

    key: str
    title: Label
    fields: tuple[FieldDefinition, ...]
    description: Label | None = None
    show: tuple[ShowItem, ...] = ()
    source: str = ""
    # Names of server-side checks registered by the platform (e.g. "archive_complete"); they run on submit
    # with the task's data and can refuse it, so a form can demand "all documents present" without Python.
    checks: tuple[str, ...] = ()

    def field(self, name: str) -> FieldDefinition:
        """Return a top-level field by name (KeyError when absent)."""
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(name)


def parse_form(data: object, source: str) -> FormDefinition:
    """Build a FormDefinition from parsed JSON; raise FormDefinitionError naming `source` and the path."""
    node = Node(data, source, "")
    node.check_keys(_FORM_KEYS, "a form")
    key = node.text("key", required=True)
    if key is None or not FORM_KEY.fullmatch(key):
        node.fail(f"'key' must be lower-case letters, digits and '_' starting with a letter, got {key!r}")
    fields = _parse_scope(node, "fields", FIELD_TYPES)
    show = tuple(_parse_show(Node(item, source, path)) for _, item, path in node.items("show"))
    checks = tuple(_parse_check(item, source, path) for _, item, path in node.items("checks"))
    return FormDefinition(key=key, title=_required_label(node, "title"), fields=fields,
                          description=node.label("description"), show=show, source=source, checks=checks)


def _parse_check(item: object, source: str, path: str) -> str:
    if not isinstance(item, str) or not FORM_KEY.fullmatch(item):
        Node(item, source, path).fail(f"a check must be the name of a registered check such as 'archive_complete', "
                                      f"got {item!r}")
    return str(item)


def _required_label(node: Node, key: str) -> Label:
    label = node.label(key, required=True)
    assert label is not None
    return label


def _parse_show(node: Node) -> ShowItem:
    node.check_keys(frozenset({"var", "label"}), "a show item")
    var = node.text("var", required=True)
    if var is None or not _VAR.fullmatch(var):
        node.fail(f"'var' must be a workflow data name such as 'class_no' or 'class.no', got {var!r}")
    return ShowItem(var=var, label=_required_label(node, "label"))


def _parse_scope(parent: Node, key: str, types: tuple[str, ...]) -> tuple[FieldDefinition, ...]:
    nodes, fields = [], []
    for _, item, path in parent.items(key, required=(key == "columns")):
        node = Node(item, parent.source, path)
        fields.append(_parse_field(node, types))
        nodes.append(node)
    names = [field.name for field in fields]
    for node, field in zip(nodes, fields, strict=True):
        if names.count(field.name) > 1:
            node.fail(f"duplicate field name {field.name!r}")
        _check_references(node, field, {f.name: f for f in fields})
    return tuple(fields)


def _parse_field(node: Node, types: tuple[str, ...]) -> FieldDefinition:
    ftype = node.get("type")
    if ftype in FIELD_TYPES and ftype not in types:
        node.fail(f"type {ftype!r} is not allowed in a table column")
    if ftype not in types:
        node.fail(f"unknown type {ftype!r}; expected one of {', '.join(types)}")
    node.check_keys(COMMON_KEYS | TYPE_KEYS[str(ftype)], f"a {ftype} field")
    name = node.identifier("name")
    if name in RESERVED_NAMES:
        node.fail(f"field name {name!r} is reserved; choose another name")
    options: dict[str, Any] = parse_options(node, str(ftype))
    if ftype == "table":
        options["columns"] = _parse_scope(node, "columns", COLUMN_TYPES)
    label = node.label("label", required=ftype != "hidden") or name
    required = node.flag("required")
    if required and options.get("readonly"):
        node.fail(f"field {name!r}: a read-only field cannot be required")
    return FieldDefinition(name=name, type=str(ftype), label=label, help=node.label("help"),
                           placeholder=node.label("placeholder"), required=required, **options)


def _check_references(node: Node, field: FieldDefinition, siblings: Mapping[str, FieldDefinition]) -> None:
    for target, _ in field.required_if:
        other = siblings.get(target)
        if other is None or other is field:
            node.fail(f"field {field.name!r}: 'required_if' refers to unknown field {target!r}")
        if other.type in ("table", "file") or other.readonly:
            kind = "read-only" if other.readonly else other.type
            node.fail(f"field {field.name!r}: 'required_if' cannot depend on the {kind} field {target!r}")
    if field.after_field is not None:
        other = siblings.get(field.after_field)
        if other is None or other is field or other.type != field.type:
            node.fail(f"field {field.name!r}: 'after_field' must name another {field.type} field "
                      f"in the same form or row, got {field.after_field!r}")
