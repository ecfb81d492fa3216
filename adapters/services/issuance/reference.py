"""Working days and rule values read through the caller's unit of work.

The platform's ReferenceCache refreshes itself with a unit of work of its own; on SQLite every transaction takes
the write lock at BEGIN, so a refresh inside a step would wait on the step's own lock. These use cases are always
inside a unit of work already, so they read just the calendar years they need through it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from adapters.rules.rulebook import Rulebook, RuleNotInForceError, RuleValue
from adapters.rules.workdays import CalendarGapError, WorkingCalendar
from adapters.services.platform.errors import InvalidData
from storage.repositories.issuance import IssuanceRepository

# "n working days" never reaches further than this many calendar days per working day, plus the longest holiday.
_DAYS_PER_WORKING_DAY = 3
_LONGEST_BREAK = 20


class Reference:
    """Calendar and rulebook for one unit of work (loaded lazily, refused loudly when data is missing)."""

    def __init__(self, training: IssuanceRepository) -> None:
        self.training = training
        self._rulebook: Rulebook | None = None

    def rulebook(self) -> Rulebook:
        if self._rulebook is None:
            self._rulebook = Rulebook(RuleValue(r.key, r.value, r.effective_from, r.effective_to, r.source)
                                      for r in self.training.rule_values())
        return self._rulebook

    def rule(self, key: str, on: dt.date) -> Any:
        """The value of ``key`` in force on ``on``; a missing value is refused in Chinese, keyed by the rule."""
        try:
            return self.rulebook().value(key, on)
        except RuleNotInForceError as err:
            raise InvalidData({key: str(err)}, "规则取值缺失") from err

    def calendar(self, first: dt.date, last: dt.date) -> WorkingCalendar:
        """The calendar of the years from ``first`` to ``last`` (a year without complete data stays uncovered)."""
        return WorkingCalendar(self.training.calendar_days(first.year, last.year))

    def add_working_days(self, start: dt.date, n: int, field: str = "due_date") -> dt.date:
        """``n`` working days after ``start`` (day 1 is the first working day after it; A1.3, A1.4)."""
        horizon = start + dt.timedelta(days=n * _DAYS_PER_WORKING_DAY + _LONGEST_BREAK)
        try:
            return self.calendar(start, horizon).add_working_days(start, n)
        except CalendarGapError as err:
            raise InvalidData({field: str(err)}, "工作日历缺失") from err

    def working_days_between(self, start: dt.date, end: dt.date, field: str = "done_date") -> int:
        """Working days after ``start`` up to and including ``end`` (the days a deadline was missed by)."""
        if end <= start:
            return 0
        try:
            return self.calendar(start, end).working_days_between(start, end)
        except CalendarGapError as err:
            raise InvalidData({field: str(err)}, "工作日历缺失") from err
