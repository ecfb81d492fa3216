"""Working-day calendar: "N working days after X" deadlines (A1.3, A1.4, Civil Code art. 201).

The calendar is data (an administrator-editable table seeded from `chinesecalendar`), never a
rule of thumb: a day in a year without complete data raises CalendarGapError instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
# Words accepted in the "kind" column of an administrator import.
WORKDAY_WORDS = frozenset({"workday", "上班", "工作日"})
HOLIDAY_WORDS = frozenset({"holiday", "休息", "节假日"})
MAX_NOTE_LENGTH = 100


class CalendarGapError(LookupError):
    """A deadline needs a day of a year whose working-day calendar has not been entered."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year} 年的工作日历尚未录入，无法计算期限；请管理员先录入 {year} 年全年的节假日和调休安排。"
            f" (No complete working-day calendar for {year}; cannot compute the deadline.)"
        )


def year_days(year: int) -> list[date]:
    """Return every date of a year."""
    first = date(year, 1, 1)
    return [first + ONE_DAY * offset for offset in range((date(year + 1, 1, 1) - first).days)]


def missing_days(days: Mapping[date, object], year: int) -> list[date]:
    """Return the dates of `year` that `days` has no entry for."""
    return [day for day in year_days(year) if day not in days]


def year_is_complete(days: Mapping[date, object], year: int) -> bool:
    """Return True when `days` has an entry for every date of `year`."""
    return not missing_days(days, year)


class WorkingCalendar:
    """Working days from a {date: is_workday} mapping; only complete years count as covered."""

    def __init__(self, days: Mapping[date, bool]) -> None:
        self._days = dict(days)
        years = {day.year for day in self._days}
        # A half-entered year is treated as missing: a partial year would silently shift deadlines.
        self._covered = frozenset(year for year in years if year_is_complete(self._days, year))

    @classmethod
    def from_named_days(cls, days: Mapping[date, tuple[bool, str]]) -> WorkingCalendar:
        """Build a calendar from the seed/import shape {date: (is_workday, name)}."""
        return cls({day: is_workday for day, (is_workday, _name) in days.items()})

    @property
    def covered_years(self) -> frozenset[int]:
        """Years for which every day is known."""
        return self._covered

    def extended(self, days: Mapping[date, bool]) -> WorkingCalendar:
        """Return a new calendar with `days` added or overriding existing entries."""
        return WorkingCalendar({**self._days, **days})

    def is_workday(self, day: date) -> bool:
        """Return True for a working day (including make-up working days 调休)."""
        if day.year not in self._covered:
            raise CalendarGapError(day.year)
        return self._days[day]

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after `day`."""
        candidate = day + ONE_DAY
        while not self.is_workday(candidate):
            candidate += ONE_DAY
        return candidate

    def add_working_days(self, start: date, n: int) -> date:
        """Return the last day of "n working days after start"; day 1 is the first working day after it."""
        if n < 0:
            raise ValueError(f"工作日天数不能为负数：{n} (n must not be negative)")
        current = start
        for _ in range(n):
            current = self.next_working_day(current)
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Count working days strictly after `start` up to and including `end` (0 if end <= start)."""
        count = 0
        current = start + ONE_DAY
        while current <= end:
            count += self.is_workday(current)
            current += ONE_DAY
        return count


def _chinese_holiday_names() -> dict[str, str]:
    from chinese_calendar import Holiday

    return {holiday.value: holiday.chinese for holiday in Holiday}


def seed_days_from_chinese_calendar(
    first_year: int = 2004, last_year: int = 2026
) -> dict[date, tuple[bool, str]]:
    """Return {date: (is_workday, name)} for every day of the years, from the chinesecalendar package.

    The name is the Chinese holiday name on a holiday, "<holiday>调休上班" on a make-up working day,
    and "" on an ordinary working day or weekend.
    """
    import chinese_calendar

    if first_year > last_year:
        raise ValueError(f"起始年份 {first_year} 晚于结束年份 {last_year}")
    names = _chinese_holiday_names()
    seed: dict[date, tuple[bool, str]] = {}
    for year in range(first_year, last_year + 1):
        for day in year_days(year):
            try:
                on_holiday, english = chinese_calendar.get_holiday_detail(day)
            except NotImplementedError as error:
                raise ValueError(f"chinesecalendar 没有 {year} 年的数据 ({error})") from error
            name = names.get(english, english) if english else ""
            if name and not on_holiday:
                name = f"{name}调休上班"
            seed[day] = (not on_holiday, name)
    return seed


class CalendarImportError(ValueError):
    """One or more import rows are invalid; `errors` lists every problem with its row number."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("工作日历导入失败：\n" + "\n".join(errors))


def _parse_kind(text: str) -> bool | None:
    word = text.strip().lower()
    if word in WORKDAY_WORDS:
        return True
    if word in HOLIDAY_WORDS:
        return False
    return None


def _parse_row(row: Sequence[str], label: str) -> tuple[date, bool, str] | str:
    """Return (date, is_workday, note) or an error message for one row."""
    if len(row) not in (2, 3):
        return f"{label}应有3列（日期、类型、备注），实际为{len(row)}列"
    raw_date, raw_kind = str(row[0]).strip(), str(row[1])
    note = str(row[2]).strip() if len(row) == 3 else ""
    try:
        day = date.fromisoformat(raw_date)
    except ValueError:
        return f"{label}日期“{raw_date}”无效，应为 YYYY-MM-DD 格式的真实日期"
    is_workday = _parse_kind(raw_kind)
    if is_workday is None:
        return f"{label}类型“{raw_kind.strip()}”无法识别，应为 workday/holiday/上班/休息"
    if len(note) > MAX_NOTE_LENGTH:
        return f"{label}备注超过{MAX_NOTE_LENGTH}个字"
    return day, is_workday, note


def parse_calendar_rows(
    rows: Iterable[Sequence[str]], first_row_number: int = 1
) -> dict[date, tuple[bool, str]]:
    """Parse import rows into {date: (is_workday, note)}; raise CalendarImportError listing all bad rows.

    `first_row_number` is the spreadsheet row of the first data row (2 when there is a header),
    so messages point at the row the administrator sees.
    """
    days: dict[date, tuple[bool, str]] = {}
    seen_at: dict[date, int] = {}
    errors: list[str] = []
    for number, row in enumerate(rows, start=first_row_number):
        label = f"第 {number} 行："
        parsed = _parse_row(row, label)
        if isinstance(parsed, str):
            errors.append(parsed)
            continue
        day, is_workday, note = parsed
        if day in seen_at:
            errors.append(f"{label}日期 {day.isoformat()} 与第 {seen_at[day]} 行重复")
            continue
        seen_at[day] = number
        days[day] = (is_workday, note)
    if errors:
        raise CalendarImportError(errors)
    return days
