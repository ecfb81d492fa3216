"""Administering the working-day calendar: years at a glance, a year's days, whole-year entry and corrections.

A year is stored only complete (every one of its 365/366 days): deadlines that reach a year without complete data
are refused (CalendarGapError) rather than guessed, so a half-entered year must never look usable.
"""

from __future__ import annotations

import calendar as monthly
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from adapters.rules.workdays import CalendarImportError, missing_days, parse_calendar_rows, year_days
from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.calendar_files import calendar_csv
from adapters.services.platform.errors import Forbidden, InvalidData
from storage.uow import UnitOfWork

FIRST_YEAR, LAST_YEAR = 2000, 2100
NOTE_MAX = 60  # the calendar_days.note column
SOURCE = "admin"
WEEKDAY_NAMES = ("一", "二", "三", "四", "五", "六", "日")


class CalendarRefused(InvalidData):
    """An import or whole-year save was refused; ``problems`` lists every row or day at fault, in Chinese."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__({"file": "\n".join(self.problems)}, "工作日历未保存")


@dataclass(frozen=True)
class YearSummary:
    year: int
    days: int
    expected: int
    complete: bool
    workdays: int
    rest_days: int


@dataclass(frozen=True)
class CalendarOverview:
    years: list[YearSummary]
    next_year: int  # the year an administrator most likely has to enter next
    next_year_missing: bool


@dataclass(frozen=True)
class DayView:
    day: dt.date
    is_workday: bool | None  # None: not entered
    note: str
    kind: str  # workday, rest, holiday, makeup (调休上班) or missing

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5


@dataclass(frozen=True)
class YearView:
    year: int
    complete: bool
    draft: bool
    months: list[list[list[DayView | None]]]  # month → weeks (Monday first) → day or None outside the month
    missing: list[tuple[dt.date, dt.date]]  # ranges of days not entered
    counts: dict[str, int]
    notes: list[list[tuple[dt.date, dt.date, str, str]]]  # month → runs of (first, last, note, kind) with a note


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("只有管理员可以维护工作日历")


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidData({"year": f"年份 {year} 超出范围（{FIRST_YEAR}–{LAST_YEAR}）"}, "年份无效")


def day_kind(day: dt.date, is_workday: bool | None, note: str) -> str:
    """How a day shows in the calendar: a weekday off is a holiday, a weekend at work a make-up day."""
    if is_workday is None:
        return "missing"
    weekend = day.weekday() >= 5
    if is_workday:
        return "makeup" if weekend else "workday"
    return "holiday" if not weekend or note else "rest"


def generate_year_draft(year: int) -> dict[dt.date, tuple[bool, str]]:
    """Monday–Friday working, Saturday–Sunday rest: the administrator then marks holidays and make-up days."""
    _check_year(year)
    return {day: (day.weekday() < 5, "") for day in year_days(year)}


# -- reading ---------------------------------------------------------------------------------------------
def calendar_overview(platform: Platform, actor: Actor) -> CalendarOverview:
    """Every year with stored days: how many, whether complete, and the working/rest split."""
    _require_admin(actor)
    with platform.reader() as uow:
        days = uow.reference.calendar_days()
    per_year: dict[int, list[bool]] = {}
    for day, is_workday in days.items():
        per_year.setdefault(day.year, []).append(is_workday)
    years = [YearSummary(year, len(flags), len(year_days(year)), len(flags) == len(year_days(year)),
                         sum(flags), len(flags) - sum(flags)) for year, flags in sorted(per_year.items())]
    complete = {summary.year for summary in years if summary.complete}
    next_year = platform.today().year + 1
    while next_year in complete:
        next_year += 1
    return CalendarOverview(years, next_year, platform.today().year + 1 not in complete)


def year_view(platform: Platform, actor: Actor, year: int) -> YearView:
    """Every day of a year as stored; days not entered show as missing."""
    _require_admin(actor)
    _check_year(year)
    stored = _stored_year(platform, year)
    return _view(year, stored, draft=False)


def year_draft(platform: Platform, actor: Actor, year: int) -> YearView:
    """The year to edit: stored days where there are any, weekends off and weekdays working elsewhere."""
    _require_admin(actor)
    draft = generate_year_draft(year)
    stored = _stored_year(platform, year)
    days = {**draft, **stored}
    return _view(year, days, draft=len(stored) < len(days))


def year_csv(platform: Platform, actor: Actor, year: int) -> bytes:
    """The stored days of a year as CSV (date,kind,note), the same shape the import reads."""
    _require_admin(actor)
    _check_year(year)
    stored = _stored_year(platform, year)
    return calendar_csv((day, workday, note) for day, (workday, note) in sorted(stored.items()))


def _stored_year(platform: Platform, year: int) -> dict[dt.date, tuple[bool, str]]:
    with platform.reader() as uow:
        return {row.day: (bool(row.is_workday), row.note or "") for row in uow.reference.calendar_year(year)}


def _view(year: int, days: Mapping[dt.date, tuple[bool, str]], *, draft: bool) -> YearView:
    views: dict[dt.date, DayView] = {}
    for day in year_days(year):
        is_workday, note = days.get(day, (None, ""))
        views[day] = DayView(day, is_workday, note, day_kind(day, is_workday, note))
    grid = monthly.Calendar(firstweekday=0)
    months = [[[views[day] if day.month == month else None for day in week]
               for week in grid.monthdatescalendar(year, month)] for month in range(1, 13)]
    counts: dict[str, int] = {}
    for view in views.values():
        counts[view.kind] = counts.get(view.kind, 0) + 1
    missing = missing_days(days, year)
    return YearView(year, not missing, draft, months, _ranges(missing), counts, _note_runs(list(views.values())))


def _note_runs(views: Sequence[DayView]) -> list[list[tuple[dt.date, dt.date, str, str]]]:
    """Per month, consecutive days sharing a note (a holiday of several days reads as one line)."""
    runs: list[list[tuple[dt.date, dt.date, str, str]]] = [[] for _ in range(12)]
    for view in views:
        if not view.note:
            continue
        month = runs[view.day.month - 1]
        if month and month[-1][2] == view.note and month[-1][1] + dt.timedelta(days=1) == view.day:
            first, _last, note, kind = month[-1]
            month[-1] = (first, view.day, note, kind if kind == view.kind else "holiday")
        else:
            month.append((view.day, view.day, view.note, view.kind))
    return runs


def parse_note_lines(text: str) -> dict[dt.date, str]:
    """Notes typed one a line as "YYYY-MM-DD note"; CalendarRefused names every line that is not."""
    notes: dict[dt.date, str] = {}
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        raw_day, _sep, note = line.strip().replace("\t", " ").partition(" ")
        try:
            day = dt.date.fromisoformat(raw_day)
        except ValueError:
            problems.append(f"备注第 {number} 行：日期“{raw_day}”无效，应为“YYYY-MM-DD 备注”")
            continue
        if day in notes:
            problems.append(f"备注第 {number} 行：{day.isoformat()} 重复")
        notes[day] = note.strip()
    if problems:
        raise CalendarRefused(problems)
    return notes


def _ranges(days: Sequence[dt.date]) -> list[tuple[dt.date, dt.date]]:
    ranges: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if ranges and ranges[-1][1] + dt.timedelta(days=1) == day:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


# -- changing --------------------------------------------------------------------------------------------
def import_year(platform: Platform, actor: Actor, rows: Sequence[Sequence[str]],
                first_row_number: int = 1) -> list[int]:
    """Store imported (date, kind, note) rows; every year they touch must end up complete, or nothing is stored.

    Returns the years stored. Raises CalendarRefused naming every bad row, or the days a year still lacks.
    """
    _require_admin(actor)
    problems = _long_notes(rows, first_row_number)
    try:
        days = parse_calendar_rows(rows, first_row_number)
    except CalendarImportError as err:
        problems = err.errors + problems
        days = {}
    if problems:
        raise CalendarRefused(problems)
    if not days:
        raise CalendarRefused(["文件中没有任何日期行"])
    return _store(platform, actor, days, "calendar.import")


def save_year(platform: Platform, actor: Actor, year: int, days: Mapping[dt.date, tuple[bool, str]]) -> list[int]:
    """Store a whole year edited in the month grid; every day must be there and belong to the year."""
    _require_admin(actor)
    _check_year(year)
    problems = [f"{day.isoformat()} 不属于 {year} 年" for day in sorted(days) if day.year != year]
    problems += [f"{day.isoformat()}：备注超过{NOTE_MAX}个字" for day, (_w, note) in sorted(days.items())
                 if len(note.strip()) > NOTE_MAX]
    if problems:
        raise CalendarRefused(problems)
    cleaned = {day: (workday, note.strip()) for day, (workday, note) in days.items()}
    return _store(platform, actor, cleaned, "calendar.save_year")


def set_day(platform: Platform, actor: Actor, day: dt.date, is_workday: bool, note: str) -> None:
    """Correct one day of a complete year (a year still being entered is saved whole, not a day at a time)."""
    _require_admin(actor)
    _check_year(day.year)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise InvalidData({"note": f"备注超过{NOTE_MAX}个字"}, "备注过长")
    with platform.uow() as uow:
        stored = {row.day: row for row in uow.reference.calendar_year(day.year)}
        if len(stored) != len(year_days(day.year)):
            raise InvalidData({"day": f"{day.year} 年的工作日历尚未完整录入，请先录入全年（新建年度或导入）"},
                              "年度不完整")
        before = stored[day]
        detail = {"day": day.isoformat(), "before": _kind_word(bool(before.is_workday)), "before_note": before.note,
                  "after": _kind_word(is_workday), "after_note": note}
        uow.reference.upsert_calendar_days([(day, is_workday, note, SOURCE)])
        _audit(uow, actor, "calendar.set_day", day.isoformat(), detail)
        uow.commit()


def _kind_word(is_workday: bool) -> str:
    return "workday" if is_workday else "holiday"


def _long_notes(rows: Sequence[Sequence[str]], first_row_number: int) -> list[str]:
    return [f"第 {number} 行：备注超过{NOTE_MAX}个字"
            for number, row in enumerate(rows, start=first_row_number)
            if len(row) == 3 and NOTE_MAX < len(str(row[2]).strip()) <= 100]  # longer ones the parser reports


def _store(platform: Platform, actor: Actor, days: Mapping[dt.date, tuple[bool, str]], action: str) -> list[int]:
    years = sorted({day.year for day in days})
    for year in years:
        _check_year(year)
    with platform.uow() as uow:
        problems: list[str] = []
        changed = 0
        for year in years:
            stored = {row.day: (bool(row.is_workday), row.note or "") for row in uow.reference.calendar_year(year)}
            merged = {**stored, **{day: value for day, value in days.items() if day.year == year}}
            problems += _gaps(year, merged)
            changed += sum(1 for day, value in days.items() if day.year == year and stored.get(day) != value)
        if problems:
            raise CalendarRefused(problems)
        uow.reference.upsert_calendar_days(
            (day, workday, note, SOURCE) for day, (workday, note) in sorted(days.items()))
        _audit(uow, actor, action, ",".join(map(str, years)),
               {"years": years, "days": len(days), "changed": changed})
        uow.commit()
    return years


def _gaps(year: int, days: Mapping[dt.date, object]) -> list[str]:
    missing = _ranges(missing_days(days, year))
    if not missing:
        return []
    shown = "、".join(a.isoformat() if a == b else f"{a.isoformat()} 至 {b.isoformat()}" for a, b in missing[:10])
    more = f" 等 {len(missing)} 段" if len(missing) > 10 else ""
    count = sum((b - a).days + 1 for a, b in missing)
    return [f"{year} 年不完整：还缺 {count} 天（{shown}{more}）；必须录入全年每一天，本次未保存任何数据"]


def _audit(uow: UnitOfWork, actor: Actor, action: str, entity_id: str, detail: Mapping[str, object]) -> None:
    uow.audit.record(action, user_id=actor.user_id or None, username=actor.username, entity="calendar",
                     entity_id=entity_id, detail=dict(detail))
