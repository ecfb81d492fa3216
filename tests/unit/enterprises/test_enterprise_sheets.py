"""The enterprises family's xlsx readers name every bad row and column; nothing half-valid comes back."""

from adapters.render.enterprise_sheets import (
    CERTIFICATES,
    ENTERPRISES,
    ROSTER,
    read_certificates,
    read_enterprises,
    read_roster,
    template,
)
from adapters.rules.creditcodes import credit_check_character
from tests.support.issuance import id_number


def code(n: int) -> str:
    first = f"91140500MA0{n:06d}"
    return first + credit_check_character(first)


def wrong_check(valid: str) -> str:
    return valid[:-1] + ("1" if valid[-1] != "1" else "2")


def test_s5_roster_rows_with_a_bad_or_duplicate_id_number_are_named():
    sheet = template(ROSTER, [("甲", id_number(1), "采煤"), ("乙", "140502198001010011", ""), ("丙", id_number(1), "")])
    result = read_roster(sheet)
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号"), (3, "身份证号"), (4, "身份证号")]
    assert result.rows == []


def test_enterprise_rows_check_the_credit_code_industry_and_level():
    sheet = template(ENTERPRISES, [(code(1), "甲公司", "", "煤矿", "市级", "泽州县"),
                                   (wrong_check(code(2)), "乙公司", "", "养殖", "省级", "泽州县"),
                                   (code(1), "丙公司", "", "煤矿", "县级", "泽州县")])
    result = read_enterprises(sheet)
    columns = {(e.row, e.column) for e in result.errors}
    assert {(3, "统一社会信用代码"), (3, "行业"), (3, "监管层级")} <= columns
    assert any(e.row == 4 and "统一社会信用代码与第2行重复" in e.message for e in result.errors)


def test_s4_certificate_rows_need_a_team_leader_number_and_a_later_expiry():
    sheet = template(CERTIFICATES, [("BZZ140525-2023-000007", "甲", id_number(1), "", "2023-05-01", "2026-05-01"),
                                    ("T140502", "乙", id_number(2), "", "2023-05-01", "2022-05-01")])
    result = read_certificates(sheet)
    assert [r["division_code"] for r in result.rows] == ["140525"]
    assert {(e.row, e.column) for e in result.errors} == {(3, "证书编号"), (3, "有效期至")}
