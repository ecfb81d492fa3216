"""Reference data: the working-day calendar, rule values and gap-free number sequences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import CalendarDay, NumberSequence, RuleValue


class ReferenceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- calendar -------------------------------------------------------------------------------
    def calendar_days(self) -> dict[dt.date, bool]:
        rows = self.session.execute(select(CalendarDay.day, CalendarDay.is_workday))
        return {day: bool(workday) for day, workday in rows}

    def calendar_year(self, year: int) -> Sequence[CalendarDay]:
        query = select(CalendarDay).where(CalendarDay.day >= dt.date(year, 1, 1),
                                          CalendarDay.day <= dt.date(year, 12, 31))
        return self.session.scalars(query.order_by(CalendarDay.day)).all()

    def calendar_years(self) -> dict[int, int]:
        """Year → number of days stored (a complete year has 365 or 366)."""
        year = func.extract("year", CalendarDay.day) if self._dialect() == "postgresql" else \
            func.strftime("%Y", CalendarDay.day)
        rows = self.session.execute(select(year, func.count()).group_by(year))
        return {int(y): int(n) for y, n in rows}

    def upsert_calendar_days(self, days: Iterable[tuple[dt.date, bool, str, str]]) -> int:
        rows = [{"day": d, "is_workday": w, "note": note, "source": source} for d, w, note, source in days]
        if not rows:
            return 0
        insert = pg_insert if self._dialect() == "postgresql" else sqlite_insert
        for start in range(0, len(rows), 500):
            stmt = insert(CalendarDay).values(rows[start:start + 500])
            stmt = stmt.on_conflict_do_update(index_elements=["day"], set_={
                "is_workday": stmt.excluded.is_workday, "note": stmt.excluded.note, "source": stmt.excluded.source})
            self.session.execute(stmt)
        return len(rows)

    # -- rule values ----------------------------------------------------------------------------
    def rule_values(self) -> Sequence[RuleValue]:
        return self.session.scalars(select(RuleValue).order_by(RuleValue.key, RuleValue.effective_from)).all()

    def add_rule_value(self, value: RuleValue) -> None:
        self.session.add(value)

    def rule_value(self, value_id: int) -> RuleValue | None:
        return self.session.get(RuleValue, value_id)

    # -- sequences ------------------------------------------------------------------------------
    def next_number(self, scope: str) -> int:
        """Take the next number of a gap-free sequence; the row lock holds until the transaction ends."""
        self._ensure_sequence(scope)
        stmt = (update(NumberSequence).where(NumberSequence.scope == scope)
                .values(last_value=NumberSequence.last_value + 1).returning(NumberSequence.last_value))
        value: Any = self.session.execute(stmt).scalar_one()
        return int(value)

    def _ensure_sequence(self, scope: str) -> None:
        insert = pg_insert if self._dialect() == "postgresql" else sqlite_insert
        self.session.execute(insert(NumberSequence).values(scope=scope, last_value=0)
                             .on_conflict_do_nothing(index_elements=["scope"]))

    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name
