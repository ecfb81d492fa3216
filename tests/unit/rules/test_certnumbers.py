"""Certificate numbers: special operations and team leaders (S4)."""

import pytest

from adapters.rules.certnumbers import (
    JINCHENG_NUMBERING_BUREAUS,
    TeamLeaderNumber,
    parse_team_leader_number,
    special_operations_number,
    team_leader_number,
)


def test_special_operations_number_is_t_plus_the_id_number():
    assert special_operations_number("34052419800101001x") == "T34052419800101001X"


def test_special_operations_number_refuses_an_invalid_id():
    with pytest.raises(ValueError, match="无法生成特种作业证号：身份证号码校验位不符"):
        special_operations_number("340524198001010019")


def test_s4_team_leader_number_of_the_city_bureau():
    assert team_leader_number("140500", 2026, 123) == "BZZ140500-2026-000123"


def test_s4_county_bureaus_number_with_their_own_division_code():
    assert team_leader_number("140521", 2026, 1) == "BZZ140521-2026-000001"


def test_all_jincheng_numbering_bureaus_have_six_digit_codes():
    assert "140500" in JINCHENG_NUMBERING_BUREAUS
    assert len(JINCHENG_NUMBERING_BUREAUS) == 7
    assert all(len(code) == 6 and code.startswith("1405") for code in JINCHENG_NUMBERING_BUREAUS)


@pytest.mark.parametrize(
    ("code", "year", "seq", "message"),
    [
        ("14050", 2026, 1, "应为6位数字"),
        ("14050A", 2026, 1, "应为6位数字"),
        ("140500", 1999, 1, "发证年份"),
        ("140500", 2026, 0, "流水号"),
        ("140500", 2026, 1_000_000, "流水号"),
    ],
)
def test_team_leader_number_rejects_bad_parts(code, year, seq, message):
    with pytest.raises(ValueError, match=message):
        team_leader_number(code, year, seq)


def test_parse_team_leader_number_round_trips():
    parsed = parse_team_leader_number(" bzz140525-2027-004321 ")
    assert parsed == TeamLeaderNumber("140525", 2027, 4321)
    assert str(parsed) == "BZZ140525-2027-004321"


@pytest.mark.parametrize(
    "value", ["BZZ140500-2026-123", "140500-2026-000123", "BZZ140500-26-000123", "BZZ140500-2026-000000"]
)
def test_parse_team_leader_number_rejects_malformed_values(value):
    with pytest.raises(ValueError, match="班组长证书编号|流水号"):
        parse_team_leader_number(value)
