"""Modeler tables: each process owner's server-side draft of a process (diagram and edited forms)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class ProcessDraft(Base):
    """One user's draft of one process, opened from a deployed version (``base_version``) or new (None)."""

    __tablename__ = "process_drafts"
    __table_args__ = (UniqueConstraint("process_key", "user_id", name="uq_process_drafts_owner"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(100), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    base_version: Mapped[int | None] = mapped_column(Integer)
    xml: Mapped[str] = mapped_column(Text)
    forms: Mapped[dict[str, Any]] = mapped_column(default=dict)  # form key -> edited form JSON text
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
