"""Quarter helpers for the survey report (S9) and training plan (S12) deadlines.

Both deadlines are calendar days of the last month of a quarter, as the measure states them;
the day itself (25 for S9, 20 for S12) comes from the rulebook.
"""

from __future__ import annotations

from datetime import date, timedelta


def _check_quarter(quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"季度 {quarter} 无效，应为 1 至 4")


def quarter_of(day: date) -> int:
    """Return the quarter (1-4) a date falls in."""
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """Return the first and last day of a quarter."""
    _check_quarter(quarter)
    next_year, following = next_quarter(year, quarter)
    return date(year, 3 * quarter - 2, 1), date(next_year, 3 * following - 2, 1) - timedelta(days=1)


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
    """Return (year, quarter) of the quarter after the given one."""
    _check_quarter(quarter)
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """Return (year, quarter) of the quarter before the given one."""
    _check_quarter(quarter)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def _day_of_last_month(year: int, quarter: int, day: int) -> date:
    _check_quarter(quarter)
    try:
        return date(year, 3 * quarter, day)
    except ValueError:
        raise ValueError(f"{year} 年第 {quarter} 季度最后一个月没有第 {day} 日") from None


def survey_due_date(year: int, quarter: int, day: int) -> date:
    """Return the due date of a quarter's survey report: `day` of the quarter's last month (S9)."""
    return _day_of_last_month(year, quarter, day)


def plan_due_date(year: int, quarter: int, day: int) -> date:
    """Return the due date of the training plan FOR the given quarter (S12).

    The plan is filed by `day` of the last month of the preceding quarter: the plan for
    2026 Q1 is due 2025-12-20.
    """
    return _day_of_last_month(*previous_quarter(year, quarter), day)
