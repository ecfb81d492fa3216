"""Process instances: read for update (row lock on PostgreSQL, version check everywhere), timer claims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Incident, ProcessInstance


class InstanceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, instance_id: int) -> ProcessInstance | None:
        return self.session.get(ProcessInstance, instance_id)

    def get_for_update(self, instance_id: int) -> ProcessInstance | None:
        """Lock the row (PostgreSQL) so one worker steps an instance at a time; SQLite relies on BEGIN IMMEDIATE."""
        query = select(ProcessInstance).where(ProcessInstance.id == instance_id).with_for_update()
        return self.session.scalars(query.execution_options(populate_existing=True)).first()

    def add(self, instance: ProcessInstance) -> ProcessInstance:
        self.session.add(instance)
        self.session.flush()
        return instance

    def claim_due_timers(self, now: dt.datetime, limit: int,
                         exclude: Collection[int] = ()) -> Sequence[ProcessInstance]:
        """Instances whose next timer is due; SKIP LOCKED lets any number of timer workers run side by side."""
        query = (select(ProcessInstance)
                 .where(ProcessInstance.next_timer_at <= now, ProcessInstance.status == "running")
                 .where(ProcessInstance.id.not_in(list(exclude)))
                 .order_by(ProcessInstance.next_timer_at).limit(limit)
                 .with_for_update(skip_locked=True))
        return self.session.scalars(query).all()

    def by_business_key(self, business_key: str) -> Sequence[ProcessInstance]:
        query = select(ProcessInstance).where(ProcessInstance.business_key == business_key)
        return self.session.scalars(query.order_by(ProcessInstance.id)).all()

    def list(self, *, organisation_ids: Sequence[int] | None = None, status: str | None = None,
             limit: int = 50, offset: int = 0) -> Sequence[ProcessInstance]:
        query = select(ProcessInstance)
        if organisation_ids is not None:
            query = query.where(ProcessInstance.organisation_id.in_(organisation_ids))
        if status:
            query = query.where(ProcessInstance.status == status)
        return self.session.scalars(query.order_by(ProcessInstance.id.desc()).limit(limit).offset(offset)).all()

    # -- incidents ------------------------------------------------------------------------------
    def open_incidents(self, instance_id: int) -> Sequence[Incident]:
        query = select(Incident).where(Incident.instance_id == instance_id, Incident.resolved_at.is_(None))
        return self.session.scalars(query.order_by(Incident.id)).all()

    def all_incidents(self, instance_id: int) -> Sequence[Incident]:
        query = select(Incident).where(Incident.instance_id == instance_id)
        return self.session.scalars(query.order_by(Incident.id)).all()

    def add_incident(self, incident: Incident) -> None:
        self.session.add(incident)
