"""Resident ID numbers (GB 11643-1999), masking and mobile numbers."""

from datetime import date

import pytest

from adapters.rules.idnumbers import (
    birth_date,
    check_character,
    is_male,
    mask_id_number,
    normalise_id_number,
    validate_id_number,
    validate_mobile,
)


@pytest.mark.parametrize(
    "number", ["34052419800101001X", "11010519491231002X", "140502199003071237", "140521200002290029"]
)
def test_valid_id_numbers_pass(number):
    assert validate_id_number(number) is None


def test_lower_case_x_is_accepted_and_normalised():
    assert validate_id_number("34052419800101001x") is None
    assert normalise_id_number(" 34052419800101001x ") == "34052419800101001X"


def test_check_character_follows_the_gb11643_weights():
    assert check_character("34052419800101001") == "X"
    assert check_character("14050219900307123") == "7"


def test_wrong_length_names_the_actual_length():
    assert validate_id_number("3405241980010100") == "身份证号码应为18位，当前为16位"


def test_letters_in_the_first_17_characters_are_rejected():
    assert "前17位必须为数字" in (validate_id_number("34052419800101A01X") or "")


def test_an_x_anywhere_but_the_end_is_rejected():
    assert "最后一位为数字或X" in (validate_id_number("3405241980010100X1") or "")


def test_impossible_birth_date_is_rejected():
    # 1981 is not a leap year: 19810229 cannot be a birth date even with a correct checksum.
    first_17 = "14052119810229002"
    problem = validate_id_number(first_17 + check_character(first_17))
    assert problem == "身份证号码中的出生日期“19810229”不是有效日期"


def test_birth_before_1900_is_rejected():
    first_17 = "14052118991231002"
    assert "早于1900年" in (validate_id_number(first_17 + check_character(first_17)) or "")


def test_birth_in_the_future_is_rejected_only_relative_to_the_given_today():
    number = "140502202601010017"
    assert validate_id_number(number) is None
    assert validate_id_number(number, today=date(2026, 1, 1)) is None
    assert "晚于今天" in (validate_id_number(number, today=date(2025, 12, 31)) or "")


def test_wrong_checksum_is_rejected():
    assert validate_id_number("340524198001010019") == "身份证号码校验位不符，请核对号码是否录入有误"


def test_unknown_address_codes_are_not_rejected():
    first_17 = "99999919800101001"
    assert validate_id_number(first_17 + check_character(first_17)) is None


def test_birth_date_is_read_from_the_number():
    assert birth_date("140521200002290029") == date(2000, 2, 29)


def test_birth_date_of_an_invalid_number_raises_with_the_reason():
    with pytest.raises(ValueError, match="校验位"):
        birth_date("340524198001010019")


def test_odd_sequence_digit_means_male():
    assert is_male("140502199003071237")
    assert is_male("34052419800101001X")
    assert not is_male("11010519491231002X")


def test_mask_keeps_first_six_and_last_four():
    assert mask_id_number("140502199003071237") == "140502********1237"
    assert mask_id_number("34052419800101001x") == "340524********001X"


def test_mask_never_reveals_a_short_malformed_value():
    assert mask_id_number("12345") == "*****"
    assert mask_id_number("") == ""


@pytest.mark.parametrize("number", ["13912345678", "19912345678", " 15012345678 "])
def test_mainland_mobile_numbers_pass(number):
    assert validate_mobile(number) is None


@pytest.mark.parametrize("number", ["12912345678", "1391234567", "139123456789", "1391234567a", ""])
def test_bad_mobile_numbers_are_rejected(number):
    assert validate_mobile(number) == "手机号码应为以1开头、第二位为3-9的11位数字"
