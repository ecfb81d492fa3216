"""Process versions: one row per (process key, content); the latest version starts new instances."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only

from storage.models import ProcessVersion


class ProcessRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, version_id: int) -> ProcessVersion | None:
        return self.session.get(ProcessVersion, version_id)

    def latest(self, process_key: str) -> ProcessVersion | None:
        query = (select(ProcessVersion).where(ProcessVersion.process_key == process_key)
                 .order_by(ProcessVersion.version.desc()).limit(1))
        return self.session.scalars(query).first()

    def add(self, version: ProcessVersion) -> ProcessVersion:
        self.session.add(version)
        self.session.flush()
        return version

    def spec_json(self, version_id: int) -> str:
        return self.session.scalars(select(ProcessVersion.spec_json).where(ProcessVersion.id == version_id)).one()

    def latest_of_each(self) -> Sequence[ProcessVersion]:
        newest = (select(ProcessVersion.process_key, func.max(ProcessVersion.version).label("v"))
                  .group_by(ProcessVersion.process_key).subquery())
        query = (select(ProcessVersion)
                 .options(load_only(ProcessVersion.id, ProcessVersion.process_key, ProcessVersion.version,
                                    ProcessVersion.name, ProcessVersion.deployed_at, ProcessVersion.deployed_by,
                                    ProcessVersion.content_hash))
                 .join(newest, (ProcessVersion.process_key == newest.c.process_key)
                       & (ProcessVersion.version == newest.c.v))
                 .order_by(ProcessVersion.process_key))
        return self.session.scalars(query).all()

    def versions_of(self, process_key: str) -> Sequence[ProcessVersion]:
        query = (select(ProcessVersion).where(ProcessVersion.process_key == process_key)
                 .order_by(ProcessVersion.version.desc()))
        return self.session.scalars(query).all()
