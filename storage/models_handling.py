"""Task handling beyond claim and complete: what people did to a task (转办, 催办, 撤回, 退回, decisions) and
the delegations (委托) of a user's tasks of a role to a colleague while away."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class TaskEvent(Base):
    """One act on a human task. ``kind``: decision, transfer, remind, withdraw, return."""

    __tablename__ = "task_events"
    __table_args__ = (Index("ix_task_events_instance", "instance_id", "id"),
                      Index("ix_task_events_task_kind", "task_id", "kind"))
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id", ondelete="CASCADE"))
    task_id: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    step: Mapped[str] = mapped_column(String(200))  # the task's title at the time
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(40), default="")  # the decision's label, e.g. 通过
    note: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Delegation(Base):
    """While away, ``from_user``'s tasks of ``role_key`` are also shown to and workable by ``to_user``."""

    __tablename__ = "delegations"
    __table_args__ = (Index("ix_delegations_to_user", "to_user_id", "ends_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role_key: Mapped[str] = mapped_column(String(40))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    ends_on: Mapped[dt.date] = mapped_column(Date)  # last day of the delegation (inclusive)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
