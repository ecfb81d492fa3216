"""Each field type turns submitted values into JSON-safe workflow values or a Chinese error."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest

from forms.validation import validate
from tests.unit.forms.factory import BAD_CHECKSUM_ID, TODAY, VALID_ID, form_with


def _clean(field: dict[str, Any], raw: object) -> tuple[object, str | None]:
    field = {"name": "v", **field}
    result = validate(form_with(field), {"v": raw}, today=TODAY)
    json.dumps(result.cleaned)  # every cleaned value must be storable as workflow JSON
    return result.cleaned.get("v"), result.errors.get("v")


@pytest.mark.parametrize(("raw", "expected"), [
    ("  张三  ", "张三"), ("a\r\nb", "a\nb"), ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("", None), ("   ", None), (None, None),
])
def test_text_is_stripped_and_kept_verbatim(raw: object, expected: object) -> None:
    assert _clean({"type": "textarea"}, raw) == (expected, None)


@pytest.mark.parametrize(("field", "raw", "error"), [
    ({"type": "text", "max_length": 3}, "四个汉字", "不能超过 3 个字（当前 4 个）"),
    ({"type": "text", "min_length": 2}, "a", "至少 2 个字"),
    ({"type": "text"}, "x" * 2001, "不能超过 2000 个字（当前 2001 个）"),
    ({"type": "textarea"}, "x" * 20001, "不能超过 20000 个字（当前 20001 个）"),
    ({"type": "text"}, 42, "格式不正确"),
    ({"type": "text"}, "a\x00b", "含有不允许的字符"),
    ({"type": "text", "pattern": "[A-Z]{2}[0-9]{4}", "pattern_message": {"zh": "格式如 AB1234"}}, "ab1234",
     "格式如 AB1234"),
    ({"type": "text", "pattern": "[0-9]+"}, "12a", "格式不正确"),
])
def test_text_limits_and_patterns(field: dict[str, Any], raw: object, error: str) -> None:
    assert _clean(field, raw) == (None, error)


def test_pattern_must_match_the_whole_value() -> None:
    assert _clean({"type": "text", "pattern": "[0-9]{4}"}, "2024") == ("2024", None)
    assert _clean({"type": "text", "pattern": "[0-9]{4}"}, "20245")[1] == "格式不正确"


@pytest.mark.parametrize(("raw", "expected"), [("85", 85), (" -3 ", -3), ("８５", 85), (7, 7), (90.0, 90)])
def test_integer_accepts_digits_full_width_digits_and_numbers(raw: object, expected: int) -> None:
    assert _clean({"type": "integer"}, raw) == (expected, None)


@pytest.mark.parametrize(("raw", "error"), [
    ("abc", "请输入整数"), ("8.5", "请输入整数"), (True, "请输入整数"), (8.5, "请输入整数"),
    ("9" * 16, "数值超出范围"), ("1" * 40, "请输入整数"), ("101", "不能大于 100"), ("-1", "不能小于 0"),
])
def test_integer_errors(raw: object, error: str) -> None:
    assert _clean({"type": "integer", "min": 0, "max": 100}, raw) == (None, error)


@pytest.mark.parametrize(("raw", "expected"), [
    ("85.5", "85.50"), ("85", "85.00"), (85.25, "85.25"), (3, "3.00"), ("-0", "0.00"), ("０.５", "0.50"),
])
def test_decimal_is_returned_as_a_fixed_places_string(raw: object, expected: str) -> None:
    assert _clean({"type": "decimal"}, raw) == (expected, None)


@pytest.mark.parametrize(("field", "raw", "error"), [
    ({"type": "decimal"}, "1.234", "最多保留 2 位小数"),
    ({"type": "decimal", "places": 0}, "1.5", "请输入整数"),
    ({"type": "decimal"}, "1e3", "请输入数字"),
    ({"type": "decimal"}, float("nan"), "请输入数字"),
    ({"type": "decimal", "min": "0.5"}, "0.25", "不能小于 0.5"),
    ({"type": "decimal", "max": 100}, "100.01", "不能大于 100"),
])
def test_decimal_errors(field: dict[str, Any], raw: object, error: str) -> None:
    assert _clean(field, raw) == (None, error)


@pytest.mark.parametrize(("raw", "expected"), [
    ("2024-05-01", "2024-05-01"), ("2024/5/1", "2024-05-01"), (date(2024, 5, 1), "2024-05-01"),
])
def test_date_is_returned_as_iso_text(raw: object, expected: str) -> None:
    assert _clean({"type": "date"}, raw) == (expected, None)


@pytest.mark.parametrize("raw", ["2024-02-30", "01/05/2024", "tomorrow", 20240501, datetime(2024, 5, 1, 9, 0)])
def test_invalid_dates_are_refused(raw: object) -> None:
    assert _clean({"type": "date"}, raw) == (None, "请输入有效日期，格式如 2024-05-01")


def test_date_limits_accept_iso_dates_and_today() -> None:
    field = {"type": "date", "date_min": "2024-01-01", "date_max": "today"}
    assert _clean(field, "2023-12-31") == (None, "不能早于 2024-01-01")
    assert _clean(field, "2024-05-16") == (None, "不能晚于今天 2024-05-15")
    assert _clean(field, "2024-05-15") == ("2024-05-15", None)


@pytest.mark.parametrize(("raw", "expected"), [
    ("2024-05-01T09:30", "2024-05-01T09:30:00"), ("2024-05-01 09:30:15", "2024-05-01T09:30:15"),
    (datetime(2024, 5, 1, 9, 30), "2024-05-01T09:30:00"),
])
def test_datetime_is_returned_as_local_iso_text(raw: object, expected: str) -> None:
    assert _clean({"type": "datetime"}, raw) == (expected, None)


def test_invalid_datetimes_and_limits() -> None:
    assert _clean({"type": "datetime"}, "2024-05-01T25:00")[1] == "请输入有效的日期和时间，格式如 2024-05-01 09:30"
    assert _clean({"type": "datetime", "date_min": "today"}, "2024-05-14T23:59")[1] == "不能早于今天 2024-05-15"


@pytest.mark.parametrize(("raw", "expected"), [
    ("y", True), ("on", True), ("true", True), (True, True), (1, True),
    (None, False), ("", False), ("false", False), (False, False), (0, False),
])
def test_boolean_values(raw: object, expected: bool) -> None:
    assert _clean({"type": "boolean"}, raw) == (expected, None)


def test_boolean_rejects_other_values() -> None:
    assert _clean({"type": "boolean"}, "maybe") == (False, "请选择是或否")


def test_choice_accepts_only_listed_values() -> None:
    field = {"type": "choice", "choices": [["approve", "通过"], ["return", "退回"]]}
    assert _clean(field, "return") == ("return", None)
    assert _clean(field, "delete") == (None, "请从给定选项中选择")
    assert _clean(field, ["return"]) == (None, "请从给定选项中选择")


def test_multichoice_returns_values_in_choice_order_without_duplicates() -> None:
    field = {"type": "multichoice", "choices": ["a", "b", "c"]}
    assert _clean(field, ["c", "a", "c"]) == (["a", "c"], None)
    assert _clean(field, "b") == (["b"], None)
    assert _clean(field, []) == ([], None)
    assert _clean(field, ["a", "z"]) == ([], "包含无效的选项")
    assert _clean(field, ["a", 1]) == ([], "格式不正确")


@pytest.mark.parametrize("raw", [VALID_ID, VALID_ID.lower(), f" {VALID_ID} ", "３４０５２４１９８００１０１００１Ｘ"])
def test_id_number_is_normalised_to_upper_case(raw: str) -> None:
    assert _clean({"type": "id_number"}, raw) == (VALID_ID, None)


def test_id_number_with_a_wrong_check_character_is_refused() -> None:
    value, error = _clean({"type": "id_number"}, BAD_CHECKSUM_ID)
    assert value is None
    assert error is not None and "校验位" in error


@pytest.mark.parametrize("raw", ["1234", "34052419801301001X", "2099010119800101001X"])
def test_id_numbers_of_wrong_length_or_date_are_refused(raw: str) -> None:
    value, error = _clean({"type": "id_number"}, raw)
    assert value is None and error is not None and error.startswith("身份证号码")


def test_mobile_numbers() -> None:
    assert _clean({"type": "mobile"}, "138 0013-8000") == ("13800138000", None)
    value, error = _clean({"type": "mobile"}, "12800138000")
    assert value is None and error is not None and "手机号码" in error


def test_email_addresses() -> None:
    assert _clean({"type": "email"}, "Li.Ming＠Example.COM") == ("Li.Ming@example.com", None)
    assert _clean({"type": "email"}, "li.ming@localhost") == (None, "邮箱地址格式不正确")
    assert _clean({"type": "email"}, "no at sign") == (None, "邮箱地址格式不正确")


def test_file_value_is_a_positive_document_id() -> None:
    assert _clean({"type": "file"}, 17) == (17, None)
    assert _clean({"type": "file"}, "17") == (17, None)
    assert _clean({"type": "file"}, [17]) == (17, None)
    assert _clean({"type": "file"}, [17, 18]) == (None, "只能上传一个文件")
    for bad in (0, -3, "abc", True, 1.5, "¹"):
        assert _clean({"type": "file"}, bad) == (None, "文件编号无效")


def test_multiple_files_are_a_list_of_document_ids() -> None:
    assert _clean({"type": "file", "multiple": True}, ["3", 4, 3, ""]) == ([3, 4], None)
    assert _clean({"type": "file", "multiple": True}, 5) == ([5], None)
    assert _clean({"type": "file", "multiple": True}, None) == ([], None)
    assert _clean({"type": "file", "multiple": True}, list(range(1, 52))) == ([], "最多上传 50 个文件")


def test_hidden_values_are_text_or_integers() -> None:
    assert _clean({"type": "hidden"}, " abc ") == ("abc", None)
    assert _clean({"type": "hidden", "value_type": "integer"}, "42") == (42, None)
    assert _clean({"type": "hidden", "value_type": "integer"}, "4x") == (None, "请输入整数")
