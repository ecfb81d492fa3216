"""Reference data the rules need: the working-day calendar and the rule values, cached and reloaded on change."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

from adapters.rules.rulebook import DEFAULT_RULES, Rulebook, RuleValue
from adapters.rules.workdays import WorkingCalendar, seed_days_from_chinese_calendar
from storage.models import RuleValue as RuleValueRow
from storage.uow import UnitOfWork


class ReferenceCache:
    """Calendar and rulebook loaded from the database; refreshed after ``ttl`` seconds or on ``invalidate``."""

    def __init__(self, uow: Callable[[], UnitOfWork], ttl: float = 60.0) -> None:
        self._uow = uow
        self._ttl = ttl
        self._lock = threading.Lock()
        self._loaded_at = 0.0
        self._calendar = WorkingCalendar({})
        self._rulebook = Rulebook([])

    def invalidate(self) -> None:
        self._loaded_at = 0.0

    def calendar(self) -> WorkingCalendar:
        self._refresh()
        return self._calendar

    def rulebook(self) -> Rulebook:
        self._refresh()
        return self._rulebook

    def _refresh(self) -> None:
        if time.monotonic() - self._loaded_at < self._ttl:
            return
        with self._lock, self._uow() as uow:
            self._calendar = WorkingCalendar(uow.reference.calendar_days())
            self._rulebook = Rulebook(RuleValue(r.key, r.value, r.effective_from, r.effective_to, r.source)
                                      for r in uow.reference.rule_values())
            self._loaded_at = time.monotonic()


def seed_reference_data(uow: UnitOfWork, *, first_year: int = 2004, last_year: int = 2026) -> tuple[int, int]:
    """Load the chinesecalendar years and the default rule values if they are not there yet."""
    days = 0
    if not uow.reference.calendar_years():
        seed = seed_days_from_chinese_calendar(first_year, last_year)
        days = uow.reference.upsert_calendar_days(
            (day, workday, name, "chinesecalendar") for day, (workday, name) in sorted(seed.items()))
    rules = 0
    if not uow.reference.rule_values():
        for rule in DEFAULT_RULES:
            uow.reference.add_rule_value(RuleValueRow(key=rule.key, value=rule.value,
                                                      effective_from=rule.effective_from,
                                                      effective_to=rule.effective_to, source=rule.source))
            rules += 1
    return days, rules


def script_functions(cache: ReferenceCache, today: Callable[[], dt.date]) -> dict[str, Callable[..., object]]:
    """The rule functions BPMN scripts and expressions may call (the sandbox's whole vocabulary)."""

    def add_working_days(start: str | dt.date, n: int) -> str:
        return cache.calendar().add_working_days(_as_date(start), int(n)).isoformat()

    def working_days_late(due: str | dt.date, done: str | dt.date) -> int:
        return cache.calendar().working_days_between(_as_date(due), _as_date(done))

    def rule(key: str) -> object:
        return cache.rulebook().value(key, today())

    def today_iso() -> str:
        return today().isoformat()

    return {"add_working_days": add_working_days, "working_days_late": working_days_late,
            "rule": rule, "today": today_iso}


def _as_date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
