"""Tables of the plans family: each institution's quarterly training plan (S12) and its classes.

A plan is FOR one quarter (``year``, ``quarter``) and due on ``due_date`` (the plan_due_day of the preceding
quarter's last month); only published plans appear on the public page.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class TrainingPlan(Base):
    """One institution's plan for one quarter: draft → submitted → returned / approved → published."""

    __tablename__ = "training_plans"
    __table_args__ = (UniqueConstraint("institution_id", "year", "quarter", name="uq_training_plans_quarter"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    due_date: Mapped[dt.date] = mapped_column(Date)
    # The first submission counts for "filed on time"; a returned plan filed again keeps it.
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    review_comment: Mapped[str] = mapped_column(String(500), default="")
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlanEntry(Base):
    """One planned class: job type (catalogue code), initial/renewal, dates inside the quarter, place, capacity."""

    __tablename__ = "training_plan_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("training_plans.id", ondelete="CASCADE"), index=True)
    job_type: Mapped[str] = mapped_column(String(40))
    training_kind: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer)
