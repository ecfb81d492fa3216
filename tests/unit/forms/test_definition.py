"""Parsing form definitions: strict checks with errors naming the file and the element path."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from forms.definition import FormDefinitionError, parse_form
from forms.labels import label_for
from tests.unit.forms.factory import definition_dict, form_with


def _error(*fields: dict[str, Any]) -> str:
    with pytest.raises(FormDefinitionError) as caught:
        form_with(*fields, key="archive_review")
    return str(caught.value)


def test_a_complete_definition_is_parsed_into_frozen_dataclasses() -> None:
    data = definition_dict(
        {"name": "decision", "type": "choice", "required": True, "widget": "radio",
         "choices": [["approve", {"zh": "通过", "en": "Approve"}], "return"]},
        {"name": "reasons", "type": "textarea", "required_if": {"decision": "return"}, "max_length": 500},
        {"name": "trainees", "type": "table", "min_rows": 1, "max_rows": 500, "columns": [
            {"name": "id_number", "type": "id_number", "required": True},
            {"name": "score", "type": "integer", "min": 0, "max": 100}]},
        {"name": "scan", "type": "file", "accept": ["application/pdf", "image/*"], "max_mb": 5},
    )
    data["show"] = [{"var": "class.no", "label": "期次"}]
    form = parse_form(data, "forms/sample.json")
    assert form.field("decision").choice_values == ("approve", "return")
    assert form.field("decision").widget == "radio"
    assert form.field("reasons").required_if == (("decision", ("return",)),)
    assert form.field("trainees").column("score").max == Decimal(100)
    assert form.field("scan").accept == ("application/pdf", "image/*")
    assert form.show[0].var == "class.no"
    with pytest.raises(AttributeError):
        form.field("reasons").required = True  # type: ignore[misc]


def test_defaults_bound_text_length_and_table_rows() -> None:
    form = form_with({"name": "a", "type": "text"}, {"name": "b", "type": "textarea"},
                     {"name": "t", "type": "table", "columns": [{"name": "c", "type": "text"}]},
                     {"name": "f", "type": "file"}, {"name": "d", "type": "decimal"})
    assert form.field("a").max_length == 2000
    assert form.field("b").max_length == 20000
    assert form.field("t").max_rows == 1000
    assert form.field("f").max_mb == 20
    assert form.field("d").places == 2


def test_unknown_column_type_names_file_and_path() -> None:
    message = _error({"name": "decision", "type": "text"}, {"name": "note", "type": "text"},
                     {"name": "trainees", "type": "table", "columns": [{"name": "id", "type": "idnumber"}]})
    assert message.startswith("forms/archive_review.json: fields[2].columns[0]: unknown type 'idnumber'")


def test_nested_tables_and_files_in_rows_are_refused() -> None:
    assert "not allowed in a table column" in _error(
        {"name": "t", "type": "table", "columns": [{"name": "u", "type": "table", "columns": []}]})
    assert "fields[0].columns[0]" in _error(
        {"name": "t", "type": "table", "columns": [{"name": "scan", "type": "file"}]})


def test_duplicate_field_names_are_refused() -> None:
    message = _error({"name": "a", "type": "text"}, {"name": "a", "type": "integer"})
    assert "fields[0]: duplicate field name 'a'" in message


def test_duplicate_column_names_are_refused() -> None:
    message = _error({"name": "t", "type": "table", "columns": [
        {"name": "x", "type": "text"}, {"name": "x", "type": "text"}]})
    assert "fields[0].columns[0]: duplicate field name 'x'" in message


def test_bad_regular_expression_is_refused() -> None:
    assert "fields[0]: 'pattern' is not a valid regular expression" in _error(
        {"name": "code", "type": "text", "pattern": "[0-9"})


def test_choice_without_choices_is_refused() -> None:
    assert "'choices' must be a non-empty list" in _error({"name": "c", "type": "choice"})
    assert "duplicate choice value(s) 'a'" in _error({"name": "c", "type": "choice", "choices": ["a", "a"]})
    assert "fields[0].choices[0]" in _error({"name": "c", "type": "choice", "choices": [["a"]]})


def test_unknown_keys_are_refused_so_typos_never_disable_a_rule() -> None:
    assert "unknown key(s) 'max_lenght' for a text field" in _error(
        {"name": "a", "type": "text", "max_lenght": 5})
    assert "unknown key(s) 'min' for a text field" in _error({"name": "a", "type": "text", "min": 1})
    with pytest.raises(FormDefinitionError, match="unknown key"):
        parse_form({"key": "x", "title": "X", "fields": [], "extra": 1}, "forms/x.json")


@pytest.mark.parametrize("name", ["_secret", "1st", "has-dash", "名字", "data", "csrf_token", "validate"])
def test_field_names_must_be_identifiers_and_not_reserved(name: str) -> None:
    assert "fields[0]" in _error({"name": name, "type": "text"})


def test_required_if_must_name_a_sibling_field() -> None:
    assert "'required_if' refers to unknown field 'decison'" in _error(
        {"name": "decision", "type": "choice", "choices": ["a"]},
        {"name": "reasons", "type": "text", "required_if": {"decison": "a"}})
    assert "cannot depend on the table field" in _error(
        {"name": "t", "type": "table", "columns": [{"name": "c", "type": "text"}]},
        {"name": "x", "type": "text", "required_if": {"t": "a"}})


def test_after_field_must_name_a_date_field_of_the_same_kind() -> None:
    assert "'after_field' must name another date field" in _error(
        {"name": "start", "type": "text"}, {"name": "end", "type": "date", "after_field": "start"})


def test_limits_must_be_consistent() -> None:
    assert "'min' (10) is greater than 'max' (1)" in _error({"name": "n", "type": "integer", "min": 10, "max": 1})
    assert "'min' must be an integer" in _error({"name": "n", "type": "integer", "min": 1.5})
    assert "'min_length' (9) is greater" in _error({"name": "n", "type": "text", "min_length": 9, "max_length": 3})
    assert "'date_min' must be an ISO date" in _error({"name": "d", "type": "date", "date_min": "2024-W01-1"})
    assert "'min_rows' (3) is greater" in _error(
        {"name": "t", "type": "table", "min_rows": 3, "max_rows": 2, "columns": [{"name": "c", "type": "text"}]})


def test_read_only_fields_cannot_be_required() -> None:
    assert "read-only field cannot be required" in _error(
        {"name": "a", "type": "text", "readonly": True, "required": True})


def test_labels_must_be_text_or_zh_en_objects() -> None:
    assert "'label'" in _error({"name": "a", "type": "text", "label": {"fr": "Nom"}})
    assert "'label'" in _error({"name": "a", "type": "text", "label": ""})


def test_form_key_must_be_lower_case_identifier() -> None:
    with pytest.raises(FormDefinitionError, match="'key' must be"):
        parse_form({"key": "../etc", "title": "X"}, "forms/x.json")


def test_label_for_picks_language_then_chinese() -> None:
    assert label_for({"zh": "审核", "en": "Review"}, "en") == "Review"
    assert label_for({"zh": "审核"}, "en") == "审核"
    assert label_for({"en": "Review"}, "zh") == "Review"
    assert label_for("审核", "en") == "审核"
    assert label_for(None, "zh") == ""
