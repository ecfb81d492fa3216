"""Read-only queries for instance lists and instance history pages."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, load_only

from storage.models import HumanTask, ProcessInstance, ProcessVersion, User


class HistoryQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def instances_page(self, *, organisation_ids: Collection[int] | None, user_id: int | None,
                       status: str | None = None, process_key: str | None = None,
                       limit: int = 25, offset: int = 0) -> tuple[Sequence[ProcessInstance], int]:
        """A page of instances, newest first, and the total count.

        ``organisation_ids`` None means every instance (administrators); otherwise an instance is listed when
        it belongs to one of them or has a task for one of them or for ``user_id`` (as ``visible_instance``).
        """
        query = self._visible(select(ProcessInstance), organisation_ids, user_id)
        if status:
            query = query.where(ProcessInstance.status == status)
        if process_key:
            query = query.where(ProcessInstance.process_key == process_key)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = query.order_by(ProcessInstance.id.desc()).limit(limit).offset(offset)
        rows = self.session.scalars(page).all()
        return rows, int(total)

    @staticmethod
    def _visible(query: Select[tuple[ProcessInstance]], organisation_ids: Collection[int] | None,
                 user_id: int | None) -> Select[tuple[ProcessInstance]]:
        if organisation_ids is None:
            return query
        orgs = sorted(organisation_ids)
        through_tasks = select(HumanTask.instance_id).where(or_(
            HumanTask.organisation_id.in_(orgs), HumanTask.assignee_id == user_id,
            HumanTask.completed_by_id == user_id))
        return query.where(or_(ProcessInstance.organisation_id.in_(orgs),
                               ProcessInstance.id.in_(through_tasks)))

    def process_names(self) -> dict[str, str]:
        """Process key → name of its latest version (for filters and headings)."""
        newest = (select(ProcessVersion.process_key, func.max(ProcessVersion.version).label("v"))
                  .group_by(ProcessVersion.process_key).subquery())
        rows = self.session.execute(
            select(ProcessVersion.process_key, ProcessVersion.name)
            .join(newest, (ProcessVersion.process_key == newest.c.process_key)
                  & (ProcessVersion.version == newest.c.v))
            .order_by(ProcessVersion.process_key))
        return {key: name for key, name in rows}

    def display_names(self, user_ids: Collection[int]) -> dict[int, str]:
        if not user_ids:
            return {}
        rows = self.session.execute(select(User.id, User.display_name).where(User.id.in_(sorted(user_ids))))
        return {user_id: name for user_id, name in rows}

    def display_names_by_username(self, usernames: Collection[str]) -> dict[str, str]:
        if not usernames:
            return {}
        rows = self.session.execute(select(User.username, User.display_name)
                                    .where(User.username.in_(sorted(usernames))))
        return {username: name for username, name in rows}

    def version_summaries(self, process_key: str) -> Sequence[ProcessVersion]:
        """Every version of a process without its large columns (XML, spec), newest first."""
        query = (select(ProcessVersion)
                 .options(load_only(ProcessVersion.id, ProcessVersion.process_key, ProcessVersion.version,
                                    ProcessVersion.name, ProcessVersion.deployed_by,
                                    ProcessVersion.deployed_at, ProcessVersion.content_hash))
                 .where(ProcessVersion.process_key == process_key).order_by(ProcessVersion.version.desc()))
        return self.session.scalars(query).all()
