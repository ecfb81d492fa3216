"""Whole-form validation: required rules, cross-field rules, tables and the form-post shape."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from werkzeug.datastructures import MultiDict

from forms.formpost import from_form_post
from forms.validation import FORM_ERROR_KEY, validate
from tests.unit.forms.factory import BAD_CHECKSUM_ID, OTHER_VALID_ID, TODAY, VALID_ID, form_with

DECISION = {"name": "decision", "type": "choice", "required": True,
            "choices": [["approve", "通过"], ["return", "退回"], ["reject", "不予通过"]]}
REASONS = {"name": "reasons", "type": "textarea", "required_if": {"decision": ["return", "reject"]}}
TRAINEES = {"name": "trainees", "type": "table", "max_rows": 3, "columns": [
    {"name": "trainee_id", "type": "hidden", "value_type": "integer", "required": True},
    {"name": "name", "type": "text", "readonly": True},
    {"name": "id_number", "type": "id_number", "required": True},
    {"name": "absent", "type": "boolean"},
    {"name": "score", "type": "integer", "min": 0, "max": 100, "required_if": {"absent": False}},
]}


def _check(fields: list[Any], data: object) -> tuple[dict[str, Any], dict[str, str]]:
    result = validate(form_with(*fields), data, today=TODAY)  # type: ignore[arg-type]
    assert result.ok == (not result.errors)
    return result.cleaned, result.errors


def test_required_fields_get_a_chinese_message_per_type() -> None:
    fields = [{"name": "a", "type": "text", "required": True}, {**DECISION},
              {"name": "tags", "type": "multichoice", "choices": ["x"], "required": True},
              {"name": "promise", "type": "boolean", "required": True},
              {"name": "scan", "type": "file", "required": True}]
    cleaned, errors = _check(fields, {"a": "  "})
    assert errors == {"a": "请填写此项", "decision": "请选择此项", "tags": "请至少选择一项",
                      "promise": "请勾选此项", "scan": "请上传文件"}
    assert cleaned == {"a": None, "decision": None, "tags": [], "promise": False, "scan": None}


def test_zero_is_a_filled_in_number() -> None:
    assert _check([{"name": "n", "type": "integer", "required": True}], {"n": "0"}) == ({"n": 0}, {})


def test_required_if_applies_only_when_the_condition_holds() -> None:
    assert _check([DECISION, REASONS], {"decision": "approve"}) == ({"decision": "approve", "reasons": None}, {})
    assert _check([DECISION, REASONS], {"decision": "reject"})[1] == {"reasons": "请填写此项"}
    assert _check([DECISION, REASONS], {"decision": "return", "reasons": "缺少学历证明"})[1] == {}


def test_required_if_compares_types_so_false_is_not_zero() -> None:
    fields = [{"name": "count", "type": "integer"}, {"name": "why", "type": "text", "required_if": {"count": False}}]
    assert _check(fields, {"count": "0"})[1] == {}


def test_required_if_on_a_multichoice_holds_when_the_value_was_chosen() -> None:
    fields = [{"name": "docs", "type": "multichoice", "choices": ["diploma", "other"]},
              {"name": "other_docs", "type": "text", "required_if": {"docs": "other"}}]
    assert _check(fields, {"docs": ["diploma", "other"]})[1] == {"other_docs": "请填写此项"}


def test_end_date_must_not_be_before_the_start_date() -> None:
    fields = [{"name": "start", "type": "date", "label": {"zh": "开班日期"}},
              {"name": "end", "type": "date", "after_field": "start"}]
    assert _check(fields, {"start": "2024-05-10", "end": "2024-05-09"})[1] == {"end": "不能早于“开班日期”"}
    assert _check(fields, {"start": "2024-05-10", "end": "2024-05-10"})[1] == {}
    assert _check(fields, {"start": "", "end": "2024-05-09"})[1] == {}


def test_datetime_ranges_compare_the_time_too() -> None:
    fields = [{"name": "start", "type": "datetime"}, {"name": "end", "type": "datetime", "after_field": "start"}]
    data = {"start": "2024-05-10T14:00", "end": "2024-05-10T09:00"}
    assert list(_check(fields, data)[1]) == ["end"]


def test_unknown_keys_are_dropped_and_never_reach_the_workflow() -> None:
    cleaned, errors = _check([{"name": "comment", "type": "text"}],
                             {"comment": "好", "status": "approved", "__class__": "x"})
    assert cleaned == {"comment": "好"}
    assert errors == {}


def test_read_only_fields_are_never_taken_from_a_submission() -> None:
    cleaned, _ = _check([{"name": "name", "type": "text", "readonly": True}], {"name": "改过的名字"})
    assert cleaned == {}


def test_a_submission_that_is_not_an_object_is_an_error_not_an_exception() -> None:
    assert _check([{"name": "a", "type": "text"}], ["a"]) == ({}, {FORM_ERROR_KEY: "提交的数据格式不正确"})


def test_table_rows_are_cleaned_and_errors_name_row_and_column() -> None:
    rows = [
        {"trainee_id": "7", "name": "张三", "id_number": VALID_ID.lower(), "score": "85", "note": "dropped"},
        {"trainee_id": "8", "id_number": BAD_CHECKSUM_ID, "score": "101"},
        {"trainee_id": "9", "id_number": OTHER_VALID_ID, "absent": "y"},
    ]
    cleaned, errors = _check([TRAINEES], {"trainees": rows})
    assert cleaned["trainees"][0] == {"trainee_id": 7, "id_number": VALID_ID, "absent": False, "score": 85}
    assert cleaned["trainees"][2] == {"trainee_id": 9, "id_number": OTHER_VALID_ID, "absent": True, "score": None}
    assert set(errors) == {"trainees[1].id_number", "trainees[1].score"}
    assert "校验位" in errors["trainees[1].id_number"]
    assert errors["trainees[1].score"] == "不能大于 100"


def test_a_missing_cell_required_by_its_row_is_reported_on_that_cell() -> None:
    _, errors = _check([TRAINEES], {"trainees": [{"trainee_id": 7, "id_number": VALID_ID}]})
    assert errors == {"trainees[0].score": "请填写此项"}


def test_blank_rows_are_skipped_but_row_numbers_stay_positions() -> None:
    rows = [{}, {"trainee_id": "", "absent": False}, {"trainee_id": 5, "id_number": "1"}]
    cleaned, errors = _check([TRAINEES], {"trainees": rows})
    assert len(cleaned["trainees"]) == 1
    assert set(errors) == {"trainees[2].id_number", "trainees[2].score"}


def test_row_counts_are_bounded() -> None:
    row = {"trainee_id": 1, "id_number": VALID_ID, "absent": True}
    assert _check([TRAINEES], {"trainees": [row] * 4})[1] == {"trainees": "最多只能填写 3 行"}
    assert _check([TRAINEES], {"trainees": [{}] * 500})[1] == {"trainees": "最多只能填写 3 行"}
    required = {**TRAINEES, "min_rows": 2}
    assert _check([required], {"trainees": [row]})[1] == {"trainees": "至少填写 2 行"}
    assert _check([{**TRAINEES, "required": True}], {"trainees": []})[1] == {"trainees": "请至少填写一行"}


def test_malformed_tables_and_rows_are_errors() -> None:
    assert _check([TRAINEES], {"trainees": "rows"})[1] == {"trainees": "格式不正确"}
    assert _check([TRAINEES], {"trainees": ["row"]})[1] == {"trainees[0]": "第 1 行格式不正确"}


def test_form_post_rebuilds_scalars_lists_and_table_rows() -> None:
    definition = form_with(DECISION, {"name": "tags", "type": "multichoice", "choices": ["a", "b"]},
                           {"name": "scans", "type": "file", "multiple": True}, TRAINEES)
    post = MultiDict([
        ("decision", "return"), ("decision", "approve"), ("tags", "a"), ("tags", "b"), ("scans", "4"),
        ("trainees-7-trainee_id", "30"), ("trainees-7-id_number", VALID_ID), ("trainees-7-absent", "y"),
        ("trainees-2-trainee_id", "20"), ("trainees-2-id_number", OTHER_VALID_ID), ("trainees-2-score", "90"),
        ("trainees_other-0-x", "ignored"), ("csrf_token", "t"),
    ])
    data = from_form_post(definition, post)
    assert data["decision"] == "return"
    assert data["tags"] == ["a", "b"]
    assert data["scans"] == ["4"]
    rows: list[dict[str, object]] = data["trainees"]  # type: ignore[assignment]
    assert [row["trainee_id"] for row in rows] == ["20", "30"]
    result = validate(definition, data, today=TODAY)
    assert result.errors == {}
    assert result.cleaned["trainees"][1] == {"trainee_id": 30, "id_number": VALID_ID, "absent": True, "score": None}


def test_form_post_of_an_unchecked_checkbox_means_false() -> None:
    definition = form_with({"name": "agree", "type": "boolean"})
    assert validate(definition, from_form_post(definition, MultiDict()), today=TODAY).cleaned == {"agree": False}


def test_a_datetime_given_as_today_is_treated_as_its_date() -> None:
    definition = form_with({"name": "d", "type": "date", "date_max": "today"})
    result = validate(definition, {"d": "2024-05-15"}, today=datetime(2024, 5, 15, 23, 59))
    assert result.errors == {}
