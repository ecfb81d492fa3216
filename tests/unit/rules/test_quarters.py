"""Quarter deadlines for survey reports (S9) and training plans (S12)."""

from datetime import date

import pytest

from adapters.rules.quarters import (
    next_quarter,
    plan_due_date,
    previous_quarter,
    quarter_bounds,
    quarter_of,
    survey_due_date,
)


@pytest.mark.parametrize(
    ("day", "quarter"),
    [(date(2026, 1, 1), 1), (date(2026, 3, 31), 1), (date(2026, 4, 1), 2), (date(2026, 9, 30), 3),
     (date(2026, 10, 1), 4), (date(2026, 12, 31), 4)],
)
def test_quarter_of(day, quarter):
    assert quarter_of(day) == quarter


def test_quarter_bounds_include_leap_day_and_year_end():
    assert quarter_bounds(2024, 1) == (date(2024, 1, 1), date(2024, 3, 31))
    assert quarter_bounds(2024, 2) == (date(2024, 4, 1), date(2024, 6, 30))
    assert quarter_bounds(2024, 4) == (date(2024, 10, 1), date(2024, 12, 31))


def test_next_and_previous_quarter_cross_the_year():
    assert next_quarter(2025, 4) == (2026, 1)
    assert previous_quarter(2026, 1) == (2025, 4)
    assert next_quarter(2026, 2) == (2026, 3)


@pytest.mark.parametrize(
    ("quarter", "due"), [(1, date(2026, 3, 25)), (2, date(2026, 6, 25)), (3, date(2026, 9, 25)), (4, date(2026, 12, 25))]
)
def test_s9_survey_report_due_on_the_25th_of_the_quarters_last_month(quarter, due):
    assert survey_due_date(2026, quarter, 25) == due


def test_s12_plan_for_a_quarter_is_due_on_the_20th_of_the_month_before_it():
    assert plan_due_date(2026, 1, 20) == date(2025, 12, 20)
    assert plan_due_date(2026, 3, 20) == date(2026, 6, 20)


def test_invalid_quarter_is_refused():
    with pytest.raises(ValueError, match="季度 5 无效"):
        survey_due_date(2026, 5, 25)


def test_a_day_the_month_does_not_have_is_refused():
    with pytest.raises(ValueError, match="2026 年第 2 季度最后一个月没有第 31 日"):
        survey_due_date(2026, 2, 31)
