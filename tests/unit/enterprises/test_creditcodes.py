"""Unified social credit codes (GB 32100-2015): length, alphabet, division digits and the check character."""

import pytest

from adapters.rules.creditcodes import credit_check_character, is_valid_credit_code, validate_credit_code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "911100007109288314", "91140500mA0000001x".upper()[:17]
                                  + credit_check_character("91140500MA0000001")])
def test_valid_codes_pass(code):
    assert validate_credit_code(code) is None and is_valid_credit_code(code.lower())


def test_a_wrong_check_character_names_the_expected_one():
    assert validate_credit_code("91350100M000100Y44") == "统一社会信用代码校验位错误（第18位应为 3）"


@pytest.mark.parametrize(("code", "words"), [
    ("91350100M000100Y4", "应为18位"), ("91350100M00010OY43", "不允许的字符：O"),
    ("9135010AM000100Y43", "行政区划代码")])
def test_malformed_codes_are_refused_with_the_reason(code, words):
    assert words in validate_credit_code(code)


def test_a_check_character_of_31_is_written_as_zero():
    first = next(f"91140500MA0{n:06d}" for n in range(100000) if credit_check_character(f"91140500MA0{n:06d}") == "0")
    assert is_valid_credit_code(first + "0")
