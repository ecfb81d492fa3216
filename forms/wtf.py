"""WTForms rendering of form definitions; checking is delegated to forms.validation.validate.

Every input is a string-valued field (with an HTML5 widget) so that re-rendering after an error
shows exactly what the user typed, and so that HTML, API and CLI submissions share one set of rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.widgets import (
    CheckboxInput,
    DateInput,
    DateTimeLocalInput,
    EmailInput,
    ListWidget,
    NumberInput,
    TelInput,
)

from forms.definition import FieldDefinition, FormDefinition
from forms.formpost import BLANK_ROW_ALLOWANCE
from forms.labels import label_for
from forms.validation import validate

__all__ = ["CSRF_ERROR_KEY", "build_wtform", "validate_wtform"]

CSRF_ERROR_KEY = "csrf_token"
CSRF_MESSAGE = "页面已过期或提交来源无效，请刷新页面后重新提交"
_CHOOSE = {"zh": "请选择", "en": "Please choose"}
# Select and checkbox inputs ignore "readonly"; disabled ones are not posted, which suits read-only
# fields because validation never takes their value from a submission anyway.
_DISABLE_WHEN_READONLY = frozenset({"boolean", "choice", "multichoice"})
_SIMPLE: dict[str, type[Field]] = {"boolean": BooleanField, "textarea": TextAreaField, "hidden": HiddenField}
_STRING_WIDGETS = {
    "integer": NumberInput, "decimal": NumberInput, "date": DateInput, "datetime": DateTimeLocalInput,
    "mobile": TelInput, "email": EmailInput,
}


def build_wtform(
    definition: FormDefinition,
    lang: str,
    *,
    data: Mapping[str, Any] | None = None,
    formdata: Any = None,
    add_rows: Mapping[str, int] | None = None,
) -> FlaskForm:
    """Return a CSRF-protected FlaskForm for `definition` with labels in `lang`.

    `data` pre-fills the form (workflow data; a table is a list of row dicts); `formdata` defaults
    to the current request's posted form and files. `add_rows` appends blank rows to tables
    ({"trainees": 5}), never beyond a table's max_rows.
    """
    attrs: dict[str, Any] = {spec.name: _unbound(spec, lang) for spec in definition.fields}
    form_class = type(f"{definition.key}_form", (FlaskForm,), attrs)
    kwargs: dict[str, Any] = {"data": _initial(definition.fields, data or {})}
    if formdata is not None:
        kwargs["formdata"] = formdata
    form = form_class(**kwargs)
    for name, count in (add_rows or {}).items():
        table = definition.field(name)
        if table.type != "table":
            raise ValueError(f"add_rows: field {name!r} of form {definition.key!r} is not a table")
        entries = form[name]
        for _ in range(max(0, min(count, table.max_rows - len(entries.entries)))):
            entries.append_entry()
    return form


def _initial(fields: Sequence[FieldDefinition], data: Mapping[str, Any]) -> dict[str, Any]:
    # Only defined names: WTForms passes row dicts as keyword arguments, where a stray
    # workflow key such as "prefix" or "meta" would collide with the form's own parameters.
    values: dict[str, Any] = {}
    for spec in fields:
        value = data.get(spec.name)
        if spec.type == "table" and isinstance(value, list | tuple):
            value = [_initial(spec.columns, row) for row in value if isinstance(row, Mapping)]
        if value is not None:
            values[spec.name] = value
    return values


def _render_kw(spec: FieldDefinition, lang: str) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    if spec.required and spec.type not in ("file", "hidden"):
        kw["required"] = True
    if spec.readonly:
        kw["disabled" if spec.type in _DISABLE_WHEN_READONLY else "readonly"] = True
    if spec.placeholder is not None:
        kw["placeholder"] = label_for(spec.placeholder, lang)
    if spec.type in ("text", "textarea") and spec.max_length is not None:
        kw["maxlength"] = spec.max_length
    if spec.type in ("integer", "decimal"):
        kw["step"] = "1" if spec.type == "integer" else format(Decimal(1).scaleb(-spec.places), "f")
        limits = (("min", spec.min), ("max", spec.max))
        kw.update({key: format(value, "f") for key, value in limits if value is not None})
    if spec.type == "file" and spec.accept:
        kw["accept"] = ",".join(spec.accept)
    if spec.type == "id_number":
        kw["autocomplete"] = "off"
    return kw


def _choices(spec: FieldDefinition, lang: str) -> list[SelectChoice]:
    return [SelectChoice(value, label_for(label, lang)) for value, label in spec.choices]


def _unbound(spec: FieldDefinition, lang: str) -> UnboundField:
    kw: dict[str, Any] = {"label": label_for(spec.label, lang), "description": label_for(spec.help, lang),
                          "render_kw": _render_kw(spec, lang)}
    if spec.type == "table":
        return _table(spec, lang, kw)
    if spec.type == "choice" and spec.widget == "radio":
        return RadioField(choices=_choices(spec, lang), **kw)
    if spec.type == "choice":
        return SelectField(choices=[SelectChoice("", label_for(_CHOOSE, lang)), *_choices(spec, lang)], **kw)
    if spec.type == "multichoice":
        return SelectMultipleField(choices=_choices(spec, lang), widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput(), **kw)
    if spec.type == "file":
        return MultipleFileField(**kw) if spec.multiple else FileField(**kw)
    if spec.type in _SIMPLE:
        return _SIMPLE[spec.type](**kw)
    widget = _STRING_WIDGETS.get(spec.type)
    return StringField(widget=widget(), **kw) if widget is not None else StringField(**kw)


def _table(spec: FieldDefinition, lang: str, kw: dict[str, Any]) -> UnboundField:
    attrs = {column.name: _unbound(column, lang) for column in spec.columns}
    row_class = type(f"{spec.name}_row", (Form,), attrs)
    kw.pop("render_kw")
    # One blank row so an empty table can be started; one row past the limits lets
    # validation report "too many rows" instead of rows vanishing silently.
    return FieldList(FormField(row_class), min_entries=max(1, spec.min_rows),
                     max_entries=spec.max_rows + BLANK_ROW_ALLOWANCE + 1, **kw)


def validate_wtform(
    form: FlaskForm,
    definition: FormDefinition,
    today: date,
    *,
    file_ids: Mapping[str, int | list[int]] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check CSRF, validate the submitted values and attach the errors to the fields.

    Returns (cleaned, errors) as forms.validation.validate does; on a CSRF failure cleaned is empty
    and errors holds CSRF_ERROR_KEY. File fields take their document ids from `file_ids`, which
    the web layer fills after storing the uploads (or to keep an earlier upload).
    """
    csrf_field = getattr(form, form.meta.csrf_field_name, None) if form.meta.csrf else None
    if csrf_field is not None and not csrf_field.validate(form):
        csrf_field.errors = [CSRF_MESSAGE]
        return {}, {CSRF_ERROR_KEY: CSRF_MESSAGE}
    submitted = _submitted(form, definition.fields)
    submitted.update(file_ids or {})
    result = validate(definition, submitted, today=today)
    _attach_errors(form, definition.fields, result.errors, "")
    return result.cleaned, result.errors


def _raw(field: Field, many: bool) -> object:
    if field.raw_data is None:  # nothing was posted: the pre-filled value stands
        return field.data
    values = list(field.raw_data)
    return values if many else (values[0] if values else None)


def _submitted(form: Form, fields: Sequence[FieldDefinition]) -> dict[str, object]:
    values: dict[str, object] = {}
    for spec in fields:
        field = form[spec.name]
        if spec.type == "table":
            values[spec.name] = [_submitted(entry.form, spec.columns) for entry in field.entries]
        elif spec.type != "file":  # file values are document ids, supplied through file_ids
            values[spec.name] = _raw(field, spec.type == "multichoice")
    return values


def _attach_errors(
    form: Form, fields: Sequence[FieldDefinition], errors: Mapping[str, str], prefix: str
) -> None:
    for spec in fields:
        key = prefix + spec.name
        field = form[spec.name]
        own = [errors[key]] if key in errors else []
        if spec.type != "table":
            field.errors = own
            continue
        for index, entry in enumerate(field.entries):
            row_key = f"{key}[{index}]"
            entry.form.form_errors = [errors[row_key]] if row_key in errors else []
            _attach_errors(entry.form, spec.columns, errors, row_key + ".")
        # WTForms' own shape for a FieldList: one error dict per entry, then the list's messages.
        rows = [entry.errors for entry in field.entries]
        field.errors = (rows if any(rows) else []) + own
