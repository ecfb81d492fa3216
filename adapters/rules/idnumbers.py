"""Resident ID numbers (GB 11643-1999) and mainland mobile numbers."""

from __future__ import annotations

import re
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
_ID_SHAPE = re.compile(r"\d{17}[\dX]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Nobody born before 1900 holds a working certificate; an earlier year is a typing error.
_EARLIEST_BIRTH_YEAR = 1900


def normalise_id_number(value: str) -> str:
    """Strip surrounding spaces and upper-case a trailing x."""
    return value.strip().upper()


def check_character(first_17: str) -> str:
    """Return the check character for the first 17 digits of an ID number."""
    if len(first_17) != 17 or not first_17.isdigit():
        raise ValueError("身份证号码前17位必须为数字 (first 17 characters must be digits)")
    total = sum(int(digit) * weight for digit, weight in zip(first_17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def _birth_date_or_none(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str, today: date | None = None) -> str | None:
    """Return a Chinese error message for an invalid ID number, or None when it is valid.

    Address codes are deliberately not checked: a code never changes after issuance, so old
    or abolished codes are legitimate. The future-birth check runs only when `today` is given.
    """
    number = normalise_id_number(value)
    if len(number) != 18:
        return f"身份证号码应为18位，当前为{len(number)}位"
    if not _ID_SHAPE.fullmatch(number):
        return "身份证号码前17位必须为数字，最后一位为数字或X"
    born = _birth_date_or_none(number)
    if born is None:
        return f"身份证号码中的出生日期“{number[6:14]}”不是有效日期"
    if born.year < _EARLIEST_BIRTH_YEAR:
        return f"身份证号码中的出生日期“{number[6:14]}”早于{_EARLIEST_BIRTH_YEAR}年，请核对"
    if today is not None and born > today:
        return f"身份证号码中的出生日期“{number[6:14]}”晚于今天，请核对"
    if check_character(number[:17]) != number[17]:
        return "身份证号码校验位不符，请核对号码是否录入有误"
    return None


def _valid_number(value: str) -> str:
    problem = validate_id_number(value)
    if problem is not None:
        raise ValueError(problem)
    return normalise_id_number(value)


def birth_date(id_number: str) -> date:
    """Return the birth date encoded in a valid ID number (ValueError otherwise)."""
    number = _valid_number(id_number)
    born = _birth_date_or_none(number)
    assert born is not None  # validate_id_number has checked the date
    return born


def is_male(id_number: str) -> bool:
    """Return True when the sequence code (digit 17) is odd, as GB 11643 assigns to men."""
    return int(_valid_number(id_number)[16]) % 2 == 1


def mask_id_number(id_number: str) -> str:
    """Mask an ID number for lists and exports: first 6 + stars + last 4 (140502********1234).

    Never raises, so a malformed legacy value in a list is masked rather than breaking the page;
    values too short to keep 10 characters are masked completely.
    """
    number = normalise_id_number(id_number)
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def validate_mobile(value: str) -> str | None:
    """Return a Chinese error message for an invalid mainland mobile number, or None."""
    number = value.strip()
    if not _MOBILE.fullmatch(number):
        return "手机号码应为以1开头、第二位为3-9的11位数字"
    return None
