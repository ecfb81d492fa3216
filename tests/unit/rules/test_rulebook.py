"""Rule values with effective dates and certificate dates."""

from datetime import date

import pytest

from adapters.rules.rulebook import (
    DEFAULT_RULES,
    Rulebook,
    RuleNotInForceError,
    RuleValue,
    add_years,
    certificate_dates,
)

START = date(2021, 9, 16)


@pytest.fixture
def rulebook():
    return Rulebook(DEFAULT_RULES)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("archive_due_working_days", 5),
        ("exam_archive_due_working_days", 3),
        ("issuance_due_working_days", 5),
        ("delivery_due_working_days", 2),
        ("exam_pass_mark", 80),
        ("special_ops_validity_years", 6),
        ("special_ops_review_years", 3),
        ("leader_certificate_validity_years", 3),
        ("survey_due_day", 25),
        ("plan_due_day", 20),
        ("survey_min_enterprises", 3),
        ("send_training_min_per_year", 2),
    ],
)
def test_default_rules_carry_the_measures_values(rulebook, key, value):
    assert rulebook.value(key, date(2026, 1, 1)) == value


def test_default_rules_start_with_the_measure_and_name_a_source():
    assert all(rule.effective_from == START and rule.effective_to is None for rule in DEFAULT_RULES)
    assert all(rule.source for rule in DEFAULT_RULES)
    assert "S1" in next(r.source for r in DEFAULT_RULES if r.key == "archive_due_working_days")


def test_no_value_before_the_measure_raises_a_clear_error(rulebook):
    with pytest.raises(RuleNotInForceError, match="规则“exam_pass_mark”在 2021-09-15 没有生效的取值"):
        rulebook.value("exam_pass_mark", date(2021, 9, 15))


def test_unknown_rule_raises_the_same_error(rulebook):
    with pytest.raises(RuleNotInForceError) as caught:
        rulebook.value("no_such_rule", date(2026, 1, 1))
    assert caught.value.key == "no_such_rule"


def test_a_changed_value_applies_from_its_effective_date():
    rulebook = Rulebook([
        RuleValue("exam_pass_mark", 80, START, date(2026, 5, 31), "order 30"),
        RuleValue("exam_pass_mark", 85, date(2026, 6, 1), None, "order 19 (example)"),
    ])
    assert rulebook.value("exam_pass_mark", date(2026, 5, 31)) == 80
    assert rulebook.value("exam_pass_mark", date(2026, 6, 1)) == 85


def test_overlapping_periods_of_one_rule_are_refused():
    with pytest.raises(ValueError, match="生效期间重叠"):
        Rulebook([
            RuleValue("plan_due_day", 20, START, None, "S12"),
            RuleValue("plan_due_day", 15, date(2025, 1, 1), None, "edit"),
        ])


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="失效日期 2020-01-01 早于生效日期 2021-09-16"):
        RuleValue("plan_due_day", 20, START, date(2020, 1, 1), "S12")


def test_add_years_moves_leap_day_to_28_february():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_special_operations_certificate_is_valid_six_years_with_review_at_three(rulebook):
    assert certificate_dates(date(2026, 3, 20), "1.1", rulebook) == (date(2032, 3, 20), date(2029, 3, 20))


def test_leader_certificate_is_valid_three_years_without_review(rulebook):
    assert certificate_dates(date(2026, 3, 20), "principal_leader", rulebook) == (date(2029, 3, 20), None)
    assert certificate_dates(date(2026, 3, 20), "safety_manager", rulebook) == (date(2029, 3, 20), None)


def test_s4_team_leader_validity_must_be_entered_before_certificates_are_dated(rulebook):
    with pytest.raises(RuleNotInForceError, match="team_leader_certificate_validity_years"):
        certificate_dates(date(2026, 3, 20), "team_leader", rulebook)
    entered = Rulebook([*DEFAULT_RULES, RuleValue("team_leader_certificate_validity_years", 3, START, None, "x")])
    assert certificate_dates(date(2026, 3, 20), "team_leader", entered) == (date(2029, 3, 20), None)


def test_certificate_dates_refuse_an_unknown_job_type(rulebook):
    with pytest.raises(ValueError, match="未知的工种“welder”"):
        certificate_dates(date(2026, 3, 20), "welder", rulebook)
