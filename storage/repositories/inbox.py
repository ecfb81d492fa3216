"""Inbox queries: keyset-paged task lists and bounded counts that stay fast with 100,000 open tasks.

Open lists are ordered by due date (undated last), then creation time, then id. Because SQLite sorts NULL
first and PostgreSQL last, the dated and undated parts are read as two index-ordered ranges, one after the
other, instead of one ``NULLS LAST`` sort that neither database can take from an index. Group lists read one
range per role (the group index starts with the role) and merge them, for the same reason.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, literal, or_, select
from sqlalchemy.orm import Session

from storage.models import HumanTask, Role, User, UserRole

COLUMNS = (HumanTask.id, HumanTask.instance_id, HumanTask.process_key, HumanTask.process_name,
           HumanTask.title, HumanTask.subject_title, HumanTask.business_key, HumanTask.role_key,
           HumanTask.organisation_id, HumanTask.assignee_id, HumanTask.state, HumanTask.due_date,
           HumanTask.created_at, HumanTask.claimed_at, HumanTask.completed_at)


@dataclass(frozen=True)
class TaskFilter:
    """Optional narrowing of a list; ``due_from``/``due_until`` are inclusive dates."""

    process_key: str | None = None
    instance_id: int | None = None
    due_from: dt.date | None = None
    due_until: dt.date | None = None
    text: str | None = None

    @property
    def needs_due_date(self) -> bool:
        return self.due_from is not None or self.due_until is not None


@dataclass(frozen=True)
class OpenCursor:
    """The last row shown of an open list (due date, created, id)."""

    due_date: dt.date | None
    created_at: dt.datetime
    task_id: str


@dataclass(frozen=True)
class DoneCursor:
    """The last row shown of a completed list (completed at, id), newest first."""

    completed_at: dt.datetime
    task_id: str


def open_sort_key(row: Row[Any]) -> tuple[bool, dt.date, dt.datetime, str]:
    return (row.due_date is None, row.due_date or dt.date.min, row.created_at, row.id)


class InboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- lists ------------------------------------------------------------------------------------
    def claimed_by(self, user_id: int, where: TaskFilter, after: OpenCursor | None,
                   limit: int) -> list[Row[Any]]:
        """Open tasks the user has claimed (index ix_tasks_assignee)."""
        return self._open_page(self._claimed(user_id), where, after, limit)

    def group_open(self, role_keys: Iterable[str], organisation_id: int, where: TaskFilter,
                   after: OpenCursor | None, limit: int) -> list[Row[Any]]:
        """Unclaimed open tasks of the roles in one organisation (ix_tasks_group, one range per role)."""
        pages = [self._open_page(self._group(role, organisation_id), where, after, limit)
                 for role in sorted(set(role_keys))]
        return list(itertools.islice(heapq.merge(*pages, key=open_sort_key), limit))

    def completed_by(self, user_id: int, where: TaskFilter, after: DoneCursor | None,
                     limit: int) -> list[Row[Any]]:
        """Tasks the user completed, newest first (index ix_tasks_done_by)."""
        query = _filtered(select(*COLUMNS).where(HumanTask.completed_by_id == user_id,
                                                 HumanTask.completed_at.is_not(None)), where)
        if after is not None:
            query = query.where(HumanTask.completed_at <= after.completed_at,
                                or_(HumanTask.completed_at < after.completed_at,
                                    HumanTask.id < after.task_id))
        query = query.order_by(HumanTask.completed_at.desc(), HumanTask.id.desc()).limit(limit)
        return list(self.session.execute(query))

    # -- counts (bounded: a count stops at ``cap``) -------------------------------------------------
    def count_claimed(self, user_id: int, cap: int, *, due_before: dt.date | None = None) -> int:
        return self._bounded(self._conditions_claimed(user_id), cap, due_before)

    def count_group(self, role_keys: Iterable[str], organisation_id: int, cap: int, *,
                    due_before: dt.date | None = None) -> int:
        total = 0
        for role in sorted(set(role_keys)):
            total += self._bounded(self._conditions_group(role, organisation_id), cap - total, due_before)
            if total >= cap:
                break
        return total

    def count_completed(self, user_id: int, cap: int) -> int:
        return self._bounded([HumanTask.completed_by_id == user_id, HumanTask.completed_at.is_not(None)], cap)

    # -- page helpers -----------------------------------------------------------------------------
    def candidates(self, pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], list[tuple[int, str]]]:
        """Active users per (role key, organisation id): one query for a whole page."""
        wanted = set(pairs)
        if not wanted:
            return {}
        query = (select(Role.key, User.organisation_id, User.id, User.display_name)
                 .join(UserRole, UserRole.user_id == User.id).join(Role, Role.id == UserRole.role_id)
                 .where(User.active.is_(True), Role.key.in_(sorted({r for r, _ in wanted})),
                        User.organisation_id.in_(sorted({o for _, o in wanted})))
                 .order_by(User.display_name, User.id))
        found: dict[tuple[str, int], list[tuple[int, str]]] = {pair: [] for pair in wanted}
        for role_key, org_id, user_id, name in self.session.execute(query):
            if (role_key, org_id) in found:
                found[(role_key, org_id)].append((user_id, name))
        return found

    # -- internals --------------------------------------------------------------------------------
    @staticmethod
    def _conditions_claimed(user_id: int) -> list[ColumnElement[bool]]:
        return [HumanTask.assignee_id == user_id, HumanTask.state == "open"]

    @staticmethod
    def _conditions_group(role_key: str, organisation_id: int) -> list[ColumnElement[bool]]:
        return [HumanTask.state == "open", HumanTask.role_key == role_key,
                HumanTask.organisation_id == organisation_id, HumanTask.assignee_id.is_(None)]

    def _claimed(self, user_id: int) -> Select[Any]:
        return select(*COLUMNS).where(*self._conditions_claimed(user_id))

    def _group(self, role_key: str, organisation_id: int) -> Select[Any]:
        return select(*COLUMNS).where(*self._conditions_group(role_key, organisation_id))

    def _open_page(self, base: Select[Any], where: TaskFilter, after: OpenCursor | None,
                   limit: int) -> list[Row[Any]]:
        base = _filtered(base, where)
        rows: list[Row[Any]] = []
        if after is None or after.due_date is not None:
            dated = base.where(HumanTask.due_date.is_not(None))
            if after is not None and after.due_date is not None:
                dated = dated.where(HumanTask.due_date >= after.due_date,
                                    or_(HumanTask.due_date > after.due_date, _after_created(after)))
            dated = dated.order_by(HumanTask.due_date, HumanTask.created_at, HumanTask.id).limit(limit)
            rows = list(self.session.execute(dated))
            if len(rows) >= limit or where.needs_due_date:
                return rows
            after = None  # the dated part is exhausted: continue with the undated part from its start
        undated = base.where(HumanTask.due_date.is_(None))
        if after is not None:
            undated = undated.where(HumanTask.created_at >= after.created_at, _after_created(after))
        undated = undated.order_by(HumanTask.created_at, HumanTask.id).limit(limit - len(rows))
        return rows + list(self.session.execute(undated))

    def _bounded(self, conditions: Sequence[ColumnElement[bool]], cap: int,
                 due_before: dt.date | None = None) -> int:
        if cap <= 0:
            return 0
        extra = [HumanTask.due_date < due_before] if due_before is not None else []
        inner = select(literal(1)).select_from(HumanTask).where(*conditions, *extra).limit(cap).subquery()
        return int(self.session.scalar(select(func.count()).select_from(inner)) or 0)


def _after_created(after: OpenCursor) -> ColumnElement[bool]:
    return or_(HumanTask.created_at > after.created_at,
               (HumanTask.created_at == after.created_at) & (HumanTask.id > after.task_id))


def _filtered(query: Select[Any], where: TaskFilter) -> Select[Any]:
    if where.process_key:
        query = query.where(HumanTask.process_key == where.process_key)
    if where.instance_id is not None:
        query = query.where(HumanTask.instance_id == where.instance_id)
    if where.due_from is not None:
        query = query.where(HumanTask.due_date >= where.due_from)
    if where.due_until is not None:
        query = query.where(HumanTask.due_date <= where.due_until)
    if where.text:
        needle = where.text.lower()
        query = query.where(or_(*(func.lower(column).contains(needle, autoescape=True)
                                  for column in (HumanTask.business_key, HumanTask.subject_title,
                                                 HumanTask.title))))
    return query
