"""Rules of the quarterly training plan (S12): which quarter is filed when, its due date, and what an entry needs."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.rules.plans import EntryValues, due_date, entry_errors, filed_on_time, parse_period, plan_period_open_on


@pytest.mark.parametrize(("year", "quarter", "due"), [
    (2026, 1, date(2025, 12, 20)), (2026, 2, date(2026, 3, 20)), (2026, 3, date(2026, 6, 20)),
    (2026, 4, date(2026, 9, 20))])
def test_s12_the_plan_for_a_quarter_is_due_on_the_20th_of_the_preceding_quarters_last_month(year, quarter, due):
    assert due_date(year, quarter, 20) == due


def test_s12_each_quarter_files_the_plan_of_the_next_one():
    assert plan_period_open_on(date(2026, 1, 1)) == "2026Q2"
    assert plan_period_open_on(date(2026, 12, 31)) == "2027Q1"


def test_s12_filed_on_time_is_open_until_filed_or_the_due_date_has_passed():
    due = date(2026, 6, 20)
    assert filed_on_time(due, None, date(2026, 6, 20)) is None
    assert filed_on_time(due, None, date(2026, 6, 21)) is False
    assert filed_on_time(due, date(2026, 6, 20), date(2026, 7, 1)) is True
    assert filed_on_time(due, date(2026, 6, 22), date(2026, 7, 1)) is False


def _entry(start: date | None, end: date | None, **kw) -> EntryValues:
    values = {"job_type": "1.2", "training_kind": "initial", "place": "培训楼", "capacity": 30, **kw}
    return EntryValues(values["job_type"], values["training_kind"], start, end, values["place"], values["capacity"])


def test_s12_a_class_in_the_wrong_quarter_is_refused_naming_the_date_field():
    errors = entry_errors(2026, 3, _entry(date(2026, 6, 29), date(2026, 7, 2)), True)
    assert list(errors) == ["start_date"] and "不在计划季度 2026 年第 3 季度" in errors["start_date"]
    errors = entry_errors(2026, 3, _entry(date(2026, 9, 28), date(2026, 10, 2)), True)
    assert list(errors) == ["end_date"]


def test_s12_every_missing_or_wrong_field_is_named():
    errors = entry_errors(2026, 3, _entry(None, None, job_type="9.9", training_kind="x", place=" ", capacity=0),
                          False)
    assert set(errors) == {"job_type", "training_kind", "start_date", "end_date", "place", "capacity"}
    assert entry_errors(2026, 3, _entry(date(2026, 7, 6), date(2026, 7, 1)), True) == {
        "end_date": "结业日期不能早于开班日期"}
    assert entry_errors(2026, 3, _entry(date(2026, 7, 6), date(2026, 7, 10)), True) == {}


def test_a_period_key_must_name_a_year_and_a_quarter():
    assert parse_period("2026Q3") == (2026, 3)
    with pytest.raises(ValueError, match="2026Q5"):
        parse_period("2026Q5")
