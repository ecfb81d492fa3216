"""Rules of the quarterly training plan (S12): which quarter a plan is for, when it is due, what an entry needs.

Pure functions: the due day comes from the rulebook (``plan_due_day``), "today" is a parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from adapters.rules.quarters import next_quarter, plan_due_date, quarter_bounds, quarter_of

TRAINING_KINDS = {"initial": "初训", "renewal": "复训"}
MAX_CAPACITY = 500
_PERIOD = re.compile(r"^(\d{4})Q([1-4])$")


def period_key(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def parse_period(key: str) -> tuple[int, int]:
    """"2026Q2" → (2026, 2); anything else is refused."""
    found = _PERIOD.match(key or "")
    if not found:
        raise ValueError(f"季度“{key}”无效，应形如 2026Q2")
    return int(found.group(1)), int(found.group(2))


def plan_period_open_on(today: date) -> str:
    """The quarter whose plan is filed during today's quarter (S12: each quarter files the next one)."""
    return period_key(*next_quarter(today.year, quarter_of(today)))


def coming_quarter(today: date) -> tuple[int, int]:
    """The quarter the public page shows: the next one (its plans were filed and published this quarter)."""
    return next_quarter(today.year, quarter_of(today))


def due_date(year: int, quarter: int, due_day: int) -> date:
    """The plan for (year, quarter) is due on ``due_day`` of the preceding quarter's last month (S12)."""
    return plan_due_date(year, quarter, due_day)


def filed_on_time(due: date, submitted_on: date | None, today: date) -> bool | None:
    """True/False once it counts (filed, or the due date has passed); None while it is still open."""
    if submitted_on is not None:
        return submitted_on <= due
    return False if today > due else None


@dataclass(frozen=True)
class EntryValues:
    job_type: str
    training_kind: str
    start_date: date | None
    end_date: date | None
    place: str
    capacity: int | None


def entry_errors(year: int, quarter: int, entry: EntryValues, known_job_type: bool) -> dict[str, str]:
    """Per-field messages for one planned class; the dates must lie inside the planned quarter (S12)."""
    errors: dict[str, str] = {}
    first, last = quarter_bounds(year, quarter)
    if not known_job_type:
        errors["job_type"] = "请从工种目录中选择工种"
    if entry.training_kind not in TRAINING_KINDS:
        errors["training_kind"] = "请选择初训或复训"
    for name, value, label in (("start_date", entry.start_date, "开班日期"), ("end_date", entry.end_date, "结业日期")):
        if value is None:
            errors[name] = f"请填写{label}"
        elif not first <= value <= last:
            errors[name] = (f"{label} {value.isoformat()} 不在计划季度 {year} 年第 {quarter} 季度"
                            f"（{first.isoformat()} 至 {last.isoformat()}）内")
    if entry.start_date and entry.end_date and "end_date" not in errors and entry.end_date < entry.start_date:
        errors["end_date"] = "结业日期不能早于开班日期"
    if not entry.place.strip():
        errors["place"] = "请填写培训地点"
    elif len(entry.place) > 200:
        errors["place"] = "培训地点不超过 200 字"
    if entry.capacity is None or not 1 <= entry.capacity <= MAX_CAPACITY:
        errors["capacity"] = f"计划人数应为 1 至 {MAX_CAPACITY} 的整数"
    return errors
