"""Unified social credit codes (统一社会信用代码, GB 32100-2015) of enterprises.

18 characters: registration authority (1), organisation category (1), the 6-digit administrative division code,
the 9-character organisation code (body) and one check character. Characters come from "0123456789ABCDEFGHJKLMNPQRTUWXY"
(no I, O, S, V, Z); the check character is C18 = 31 - (Σ value(Cᵢ)·Wᵢ mod 31), with 31 written as 0.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}


def normalise_credit_code(value: str) -> str:
    """Strip spaces and upper-case the code."""
    return value.strip().upper()


def credit_check_character(first_17: str) -> str:
    """The check character for the first 17 characters (ValueError when a character is not allowed)."""
    if len(first_17) != 17 or any(ch not in _VALUES for ch in first_17):
        raise ValueError("统一社会信用代码前17位只能由数字和大写字母（不含 I、O、S、V、Z）组成")
    total = sum(_VALUES[ch] * weight for ch, weight in zip(first_17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str | None:
    """A Chinese message naming what is wrong with a credit code, or None when it is valid."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        return f"统一社会信用代码应为18位，“{code}”为{len(code)}位"
    bad = sorted({ch for ch in code if ch not in _VALUES})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3至8位应为行政区划代码（6位数字）"
    expected = credit_check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误（第18位应为 {expected}）"
    return None


def is_valid_credit_code(value: str) -> bool:
    return validate_credit_code(value) is None
