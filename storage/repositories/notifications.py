"""Notifications: in-app rows per user, their e-mail state, and the lookups that decide who gets one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CursorResult, Result, and_, false, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import HumanTask, Notification, Role, User, UserRole


@dataclass(frozen=True)
class Recipient:
    """An active user who may work on tasks of ``role_key`` in ``organisation_id``."""

    user_id: int
    email: str | None
    role_key: str
    organisation_id: int


@dataclass(frozen=True)
class OutgoingMail:
    """A pending e-mail with what the message needs (read in one query)."""

    id: int
    attempts: int
    email: str | None
    display_name: str
    title: str
    link: str


class NotificationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- who gets a notification ------------------------------------------------------------------
    def candidates(self, groups: Iterable[tuple[str, int]]) -> list[Recipient]:
        """Active users holding role R in organisation O, for every (R, O) pair, in one query."""
        pairs = sorted(set(groups))
        if not pairs:
            return []
        query = (select(User.id, User.email, Role.key, User.organisation_id)
                 .join(UserRole, UserRole.user_id == User.id).join(Role, Role.id == UserRole.role_id)
                 .where(User.active.is_(True))
                 .where(or_(*(and_(Role.key == role, User.organisation_id == org) for role, org in pairs))))
        rows = self.session.execute(query)
        return [Recipient(uid, email or None, role, org) for uid, email, role, org in rows]

    def users(self, user_ids: Iterable[int]) -> dict[int, str | None]:
        """Active users by id → e-mail address (None when they have none)."""
        ids = sorted(set(user_ids))
        if not ids:
            return {}
        query = select(User.id, User.email).where(User.id.in_(ids), User.active.is_(True))
        return {uid: email or None for uid, email in self.session.execute(query)}

    def previous_completers(self, keys: Iterable[tuple[int, str]]) -> set[tuple[int, str, int]]:
        """(instance id, BPMN element id, user id) of completed tasks of these (instance, element) pairs."""
        wanted = set(keys)
        if not wanted:
            return set()
        query = (select(HumanTask.instance_id, HumanTask.bpmn_id, HumanTask.completed_by_id)
                 .where(HumanTask.state == "completed", HumanTask.completed_by_id.is_not(None))
                 .where(or_(*(and_(HumanTask.instance_id == i, HumanTask.bpmn_id == b) for i, b in wanted))))
        found = {(i, b, u) for i, b, u in self.session.execute(query)}
        # The session does not autoflush: a task completed in this very transaction is only in memory.
        for obj in list(self.session.identity_map.values()):
            if (isinstance(obj, HumanTask) and obj.state == "completed" and obj.completed_by_id is not None
                    and (obj.instance_id, obj.bpmn_id) in wanted):
                found.add((obj.instance_id, obj.bpmn_id, obj.completed_by_id))
        return found

    def open_tasks_due_by(self, day: dt.date, limit: int = 5000) -> Sequence[HumanTask]:
        """Open tasks with a due date on or before ``day`` (due soon or overdue), oldest deadline first."""
        query = (select(HumanTask).where(HumanTask.state == "open", HumanTask.due_date.is_not(None),
                                         HumanTask.due_date <= day)
                 .order_by(HumanTask.due_date, HumanTask.id).limit(limit))
        return self.session.scalars(query).all()

    def existing(self, task_ids: Iterable[str], kinds: Sequence[str]) -> set[tuple[int, str, str]]:
        """(user id, task id, kind) of notifications already created for these tasks."""
        ids = sorted(set(task_ids))
        if not ids:
            return set()
        query = (select(Notification.user_id, Notification.task_id, Notification.kind)
                 .where(Notification.task_id.in_(ids), Notification.kind.in_(list(kinds))))
        return {(u, t or "", k) for u, t, k in self.session.execute(query)}

    def add_all(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """One multi-row INSERT for all new notifications."""
        if rows:
            dialect_insert = pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
            stmt = dialect_insert(Notification).on_conflict_do_nothing(index_elements=["user_id", "task_id", "kind"])
            self.session.execute(stmt, [dict(row) for row in rows])

    # -- the user's list --------------------------------------------------------------------------
    def unread_count(self, user_id: int) -> int:
        query = select(func.count()).select_from(Notification).where(
            Notification.user_id == user_id, Notification.read_at.is_(None))
        return int(self.session.scalar(query) or 0)

    def for_user(self, user_id: int, *, limit: int, before_id: int | None = None) -> Sequence[Notification]:
        """Newest first; ``before_id`` pages to older ones."""
        query = select(Notification).where(Notification.user_id == user_id)
        if before_id is not None:
            query = query.where(Notification.id < before_id)
        return self.session.scalars(query.order_by(Notification.id.desc()).limit(limit)).all()

    def mark_read(self, user_id: int, now: dt.datetime, notification_id: int | None = None) -> int:
        """Mark one (or every) unread notification of the user read; returns how many changed."""
        query = (update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
                 .values(read_at=now))
        if notification_id is not None:
            query = query.where(Notification.id == notification_id)
        return _rowcount(self.session.execute(query, execution_options={"synchronize_session": False}))

    def get(self, notification_id: int) -> Notification | None:
        return self.session.get(Notification, notification_id)

    # -- e-mail -------------------------------------------------------------------------------------
    def due_mail(self, now: dt.datetime, delays: Sequence[dt.timedelta], *, limit: int = 100,
                 task_ids: Sequence[str] | None = None) -> list[OutgoingMail]:
        """Pending e-mails whose next attempt is due: attempt k waits ``delays[k]`` after creation."""
        waits = [and_(Notification.email_attempts == k, Notification.created_at <= now - delay)
                 for k, delay in enumerate(delays)]
        query = (select(Notification.id, Notification.email_attempts, User.email, User.display_name,
                        Notification.title, Notification.link)
                 .join(User, User.id == Notification.user_id)
                 .where(Notification.email_state == "pending", or_(false(), *waits)))
        if task_ids is not None:
            query = query.where(Notification.task_id.in_(sorted(set(task_ids))))
        rows = self.session.execute(query.order_by(Notification.id).limit(limit))
        return [OutgoingMail(i, a, e or None, d, t, lk) for i, a, e, d, t, lk in rows]

    def claim_attempt(self, notification_id: int, attempts: int) -> bool:
        """Count an attempt only if nobody else did first, so two senders never mail the same row twice."""
        query = (update(Notification)
                 .where(Notification.id == notification_id, Notification.email_state == "pending",
                        Notification.email_attempts == attempts)
                 .values(email_attempts=attempts + 1))
        return _rowcount(self.session.execute(query, execution_options={"synchronize_session": False})) == 1

    def set_email_state(self, notification_ids: Iterable[int], state: str) -> None:
        ids = sorted(set(notification_ids))
        if ids:
            self.session.execute(update(Notification).where(Notification.id.in_(ids)).values(email_state=state),
                                 execution_options={"synchronize_session": False})

    def pending_count(self) -> int:
        query = select(func.count()).select_from(Notification).where(Notification.email_state == "pending")
        return int(self.session.scalar(query) or 0)


def _rowcount(result: Result[Any]) -> int:
    """Rows changed by an UPDATE (the ORM types execute() as a plain Result)."""
    return int(result.rowcount) if isinstance(result, CursorResult) else 0
