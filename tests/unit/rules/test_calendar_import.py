"""Administrator import of calendar rows."""

from datetime import date

import pytest

from adapters.rules.workdays import (
    CalendarImportError,
    WorkingCalendar,
    parse_calendar_rows,
    year_days,
)


def test_rows_in_english_and_chinese_are_parsed():
    rows = [
        ("2027-01-01", "holiday", "元旦"),
        ("2027-02-06", "上班", "春节调休上班"),
        ("2027-02-08", " Workday ", ""),
        ("2027-02-09", "休息", ""),
    ]
    assert parse_calendar_rows(rows) == {
        date(2027, 1, 1): (False, "元旦"),
        date(2027, 2, 6): (True, "春节调休上班"),
        date(2027, 2, 8): (True, ""),
        date(2027, 2, 9): (False, ""),
    }


def test_every_bad_row_is_reported_with_its_row_number():
    rows = [
        ("2027-02-30", "holiday", ""),
        ("2027-03-01", "rest", ""),
        ("2027-03-02", "workday", "x" * 101),
        ("2027-03-03",),
        ("2027-03-04", "workday", "ok"),
    ]
    with pytest.raises(CalendarImportError) as caught:
        parse_calendar_rows(rows, first_row_number=2)
    assert caught.value.errors == [
        "第 2 行：日期“2027-02-30”无效，应为 YYYY-MM-DD 格式的真实日期",
        "第 3 行：类型“rest”无法识别，应为 workday/holiday/上班/休息",
        "第 4 行：备注超过100个字",
        "第 5 行：应有3列（日期、类型、备注），实际为1列",
    ]


def test_duplicate_dates_name_both_rows():
    rows = [("2027-01-01", "holiday", ""), ("2027-01-02", "holiday", ""), ("2027-01-01", "上班", "")]
    with pytest.raises(CalendarImportError, match="第 3 行：日期 2027-01-01 与第 1 行重复"):
        parse_calendar_rows(rows)


def test_a_note_column_may_be_left_off():
    assert parse_calendar_rows([("2027-01-01", "holiday")]) == {date(2027, 1, 1): (False, "")}


def test_an_imported_full_year_extends_the_calendar():
    rows = [(day.isoformat(), "上班" if day.weekday() < 5 else "休息", "") for day in year_days(2027)]
    calendar = WorkingCalendar.from_named_days(parse_calendar_rows(rows))
    assert calendar.covered_years == frozenset({2027})
    assert calendar.add_working_days(date(2027, 1, 1), 1) == date(2027, 1, 4)
