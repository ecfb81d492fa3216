"""Rules of the institutions' duties: survey deadlines (S9), survey ratings (S8), which 送培入企 counts (S10, S11)."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.rules.institutions import (
    ANNUAL_RETRAINING,
    FULL_STAFF_COMMISSIONED,
    NEW_WORKER_PRE_JOB,
    SPECIAL_OPERATIONS,
    RefusedOutreach,
    judge_outreach,
    rating_of,
)
from adapters.rules.quarters import survey_due_date
from adapters.rules.workdays import seed_days_from_chinese_calendar


@pytest.mark.parametrize(("quarter", "due"), [(1, dt.date(2026, 3, 25)), (2, dt.date(2026, 6, 25)),
                                              (3, dt.date(2026, 9, 25)), (4, dt.date(2026, 12, 25))])
def test_s9_the_survey_is_due_the_25th_of_each_quarters_last_month(quarter, due):
    assert survey_due_date(2026, quarter, 25) == due


def test_s9_a_due_day_of_31_falls_on_the_31st_where_the_last_month_has_one_and_is_refused_where_not():
    assert survey_due_date(2026, 1, 31) == dt.date(2026, 3, 31)
    assert survey_due_date(2026, 4, 31) == dt.date(2026, 12, 31)
    with pytest.raises(ValueError, match="没有第 31 日"):
        survey_due_date(2026, 2, 31)  # June has 30 days


def test_s9_the_due_date_is_a_calendar_date_even_when_it_is_a_holiday():
    days = seed_days_from_chinese_calendar(2020, 2020)
    # 2020-06-25 was the Dragon Boat Festival: the survey is still due that day, not the next working day.
    assert days[dt.date(2020, 6, 25)][0] is False
    assert survey_due_date(2020, 2, 25) == dt.date(2020, 6, 25)


def test_s8_ratings_follow_the_rule_thresholds():
    assert [rating_of(s, 60, 85) for s in (59, 60, 84, 85, 100)] == ["poor", "fair", "fair", "good", "good"]


def test_s10_annual_retraining_of_leaders_counts():
    verdict = judge_outreach(ANNUAL_RETRAINING, ["principal_leader", "safety_manager", "team_leader"])
    assert verdict.counted and verdict.reason == ""


@pytest.mark.parametrize("kind", [FULL_STAFF_COMMISSIONED, NEW_WORKER_PRE_JOB])
def test_s11_enterprise_commissioned_full_staff_or_pre_job_training_is_recorded_but_not_counted(kind):
    verdict = judge_outreach(kind, ["team_leader"])
    assert not verdict.counted and "不计入" in verdict.reason and "S11" in verdict.reason


def test_s10_retraining_with_other_staff_does_not_count_and_says_why():
    verdict = judge_outreach(ANNUAL_RETRAINING, ["team_leader", "other"])
    assert not verdict.counted and "班组长" in verdict.reason


def test_s11_special_operations_training_inside_an_enterprise_is_refused():
    with pytest.raises(RefusedOutreach, match="特种作业"):
        judge_outreach(SPECIAL_OPERATIONS, ["team_leader"])
