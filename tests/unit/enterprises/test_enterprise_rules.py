"""Enterprise rules of S4–S5: high-risk industries, who supervises, who blocks resumption."""

import pytest

from adapters.rules.enterprises import (
    Supervision,
    industry_code,
    is_high_risk,
    supervising_bureau,
    supervision_level_code,
    unresolved,
)


@pytest.mark.parametrize(("industry", "high"), [("coal", True), ("non_coal_mine", True),
                                                ("hazardous_chemicals", True), ("fireworks", True),
                                                ("metal_smelting", True), ("machinery", False), ("unknown", False)])
def test_s5_applies_to_the_high_risk_industries_only(industry, high):
    assert is_high_risk(industry) is high


def test_s4_the_city_supervises_city_level_enterprises_and_the_county_its_own():
    assert supervising_bureau(Supervision("city", 7, 1)) == 1
    assert supervising_bureau(Supervision("county", 7, 1)) == 7
    with pytest.raises(ValueError, match="监管县"):
        supervising_bureau(Supervision("county", None, 1))


def test_sheet_values_accept_codes_or_chinese_names():
    assert industry_code("危险化学品") == "hazardous_chemicals" and industry_code("coal") == "coal"
    assert industry_code("养殖") is None
    assert supervision_level_code("县级") == "county" and supervision_level_code("市级监管") == "city"


def test_s5_only_passed_or_removed_people_are_resolved():
    assert unresolved([("甲", "passed"), ("乙", "removed"), ("丙", "failed"), ("丁", "pending")]) == ["丙", "丁"]
