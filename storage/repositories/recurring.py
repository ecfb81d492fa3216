"""Calendar starts: which organisations still miss a period's instance, and the once-only claim of one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Organisation
from storage.models_recurring import RecurringStart


class RecurringRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def missing(self, process_key: str, period: str, organisation_kind: str) -> list[int]:
        """Active organisations of the kind without a start of the process for the period."""
        done = select(RecurringStart.organisation_id).where(RecurringStart.process_key == process_key,
                                                            RecurringStart.period == period)
        query = (select(Organisation.id)
                 .where(Organisation.kind == organisation_kind, Organisation.active.is_(True),
                        Organisation.id.not_in(done))
                 .order_by(Organisation.id))
        return list(self.session.scalars(query))

    def claim(self, process_key: str, period: str, organisation_id: int) -> RecurringStart | None:
        """Insert the start row; None when another transaction holds it already (it waits for that one)."""
        row = RecurringStart(process_key=process_key, period=period, organisation_id=organisation_id)
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return None
        return row

    def count(self, process_key: str | None = None) -> int:
        query = select(RecurringStart)
        if process_key:
            query = query.where(RecurringStart.process_key == process_key)
        return len(self.session.scalars(query).all())
