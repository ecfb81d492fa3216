"""The append-only audit log: time, user, event, result (等保 2.0)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import AuditEntry


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, action: str, *, user_id: int | None = None, username: str = "system", result: str = "ok",
               instance_id: int | None = None, task_id: str | None = None, entity: str | None = None,
               entity_id: Any = None, detail: dict[str, Any] | None = None) -> AuditEntry:
        entry = AuditEntry(action=action, user_id=user_id, username=username, result=result,
                           instance_id=instance_id, task_id=task_id, entity=entity,
                           entity_id=None if entity_id is None else str(entity_id), detail=detail or {})
        self.session.add(entry)
        return entry

    def for_instance(self, instance_id: int) -> Sequence[AuditEntry]:
        query = select(AuditEntry).where(AuditEntry.instance_id == instance_id).order_by(AuditEntry.id)
        return self.session.scalars(query).all()

    def latest(self, limit: int = 100, offset: int = 0) -> Sequence[AuditEntry]:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
        return self.session.scalars(query).all()
