"""Processes the calendar starts: one row per (process, period, organisation) that was started.

The unique key is what makes a calendar start happen exactly once, also when several job workers on several hosts
run the same periodic scan at the same moment (the second insert fails and that worker skips the organisation).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class RecurringStart(Base):
    __tablename__ = "recurring_starts"
    __table_args__ = (UniqueConstraint("process_key", "period", "organisation_id", name="uq_recurring_starts_once"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(20))  # e.g. "2026Q4" or "2026"
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
