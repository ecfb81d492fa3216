"""Working-day calendar and "N working days after X" deadlines (S1, S2, A1.3, A1.4)."""

from datetime import date, timedelta

import pytest

from adapters.rules.workdays import (
    CalendarGapError,
    WorkingCalendar,
    missing_days,
    seed_days_from_chinese_calendar,
    year_days,
    year_is_complete,
)


@pytest.fixture(scope="module")
def seed():
    return seed_days_from_chinese_calendar(2025, 2026)


@pytest.fixture(scope="module")
def calendar(seed):
    return WorkingCalendar.from_named_days(seed)


def plain_year(year):
    """A year with weekends off and no holidays, as an administrator might enter it."""
    return {day: day.weekday() < 5 for day in year_days(year)}


def test_s1_a1_3_class_ending_2025_09_30_has_its_archive_due_2025_10_14(calendar):
    # National Day and Mid-autumn 2025-10-01..08 do not count; 2025-10-11 (Saturday) is a make-up day.
    assert calendar.add_working_days(date(2025, 9, 30), 5) == date(2025, 10, 14)


def test_a1_3_day_one_is_the_first_working_day_after_the_end_date(calendar):
    # Friday 2025-11-07: day 1 is Monday 2025-11-10, not the Friday itself.
    assert calendar.add_working_days(date(2025, 11, 7), 1) == date(2025, 11, 10)


def test_s2_a1_4_exam_archive_due_three_working_days_after_the_exam(calendar):
    assert calendar.add_working_days(date(2025, 11, 5), 3) == date(2025, 11, 10)


def test_a1_4_exam_on_a_make_up_saturday_counts_from_the_next_working_day(calendar):
    # 2025-09-28 (Sunday) is a make-up working day; days 1-3 are 09-29, 09-30 and, after the
    # 10-01..08 holiday, 10-09.
    assert calendar.is_workday(date(2025, 9, 28))
    assert calendar.add_working_days(date(2025, 9, 28), 3) == date(2025, 10, 9)


def test_spring_festival_2026_make_up_saturdays_are_working_days(calendar):
    assert calendar.is_workday(date(2026, 2, 14))
    assert calendar.is_workday(date(2026, 2, 28))
    assert not calendar.is_workday(date(2026, 2, 17))
    assert not calendar.is_workday(date(2026, 2, 23))


def test_a1_3_deadline_across_spring_festival_2026_skips_the_holiday(calendar):
    # Class ends Friday 2026-02-13: day 1 is the make-up Saturday 02-14, the holiday runs 02-15..23.
    assert calendar.add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)


def test_seed_names_holidays_and_make_up_days_in_chinese(seed):
    assert seed[date(2026, 2, 17)] == (False, "春节")
    assert seed[date(2026, 2, 14)] == (True, "春节调休上班")
    assert seed[date(2026, 3, 7)] == (False, "")
    assert seed[date(2026, 3, 9)] == (True, "")


def test_seed_covers_every_day_of_the_requested_years(seed):
    assert len(seed) == 365 + 365
    assert year_is_complete(seed, 2025) and year_is_complete(seed, 2026)


def test_seed_refuses_years_the_library_does_not_know():
    with pytest.raises(ValueError, match="chinesecalendar 没有 2027 年的数据"):
        seed_days_from_chinese_calendar(2026, 2027)


def test_seed_agrees_with_the_library_over_its_whole_range():
    import chinese_calendar

    seed = seed_days_from_chinese_calendar()
    assert min(seed) == date(2004, 1, 1) and max(seed) == date(2026, 12, 31)
    assert all(is_workday == chinese_calendar.is_workday(day) for day, (is_workday, _) in seed.items())


def test_deadline_needing_2027_raises_until_2027_is_entered(calendar):
    with pytest.raises(CalendarGapError, match="2027 年的工作日历尚未录入，无法计算期限") as caught:
        calendar.add_working_days(date(2026, 12, 30), 5)
    assert caught.value.year == 2027
    extended = calendar.extended(plain_year(2027))
    assert extended.covered_years == frozenset({2025, 2026, 2027})
    assert extended.add_working_days(date(2026, 12, 30), 5) == date(2027, 1, 6)


def test_a_partly_entered_year_is_not_covered():
    days = plain_year(2027)
    del days[date(2027, 6, 15)]
    calendar = WorkingCalendar(days)
    assert calendar.covered_years == frozenset()
    assert missing_days(days, 2027) == [date(2027, 6, 15)]
    with pytest.raises(CalendarGapError):
        calendar.is_workday(date(2027, 1, 4))


def test_a_year_before_the_calendar_starts_is_refused(calendar):
    with pytest.raises(CalendarGapError, match="2024"):
        calendar.next_working_day(date(2023, 12, 31))


def test_zero_working_days_is_the_start_day_and_negative_is_refused(calendar):
    assert calendar.add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 1)
    with pytest.raises(ValueError, match="不能为负数"):
        calendar.add_working_days(date(2025, 10, 1), -1)


def test_next_working_day_skips_a_weekend(calendar):
    assert calendar.next_working_day(date(2025, 11, 7)) == date(2025, 11, 10)


def test_working_days_between_counts_days_after_start_up_to_end(calendar):
    due = date(2025, 10, 14)
    assert calendar.working_days_between(due, date(2025, 10, 17)) == 3
    assert calendar.working_days_between(due, date(2025, 10, 20)) == 4
    assert calendar.working_days_between(due, due) == 0
    assert calendar.working_days_between(due, due - timedelta(days=3)) == 0


def test_working_days_between_is_the_inverse_of_add_working_days(calendar):
    start = date(2025, 9, 30)
    assert calendar.working_days_between(start, calendar.add_working_days(start, 12)) == 12


def test_a_year_of_holidays_cannot_loop_forever():
    calendar = WorkingCalendar(dict.fromkeys(year_days(2030), False))
    with pytest.raises(CalendarGapError, match="2031"):
        calendar.next_working_day(date(2030, 1, 1))
