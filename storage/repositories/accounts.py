"""Administration queries: searching users, counting members, paging the audit log."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from storage.models import AuditEntry, Role, User, UserRole


class AccountQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def search_users(self, text: str, limit: int, offset: int) -> Sequence[User]:
        query = select(User).where(*_user_match(text)).order_by(User.username).limit(limit).offset(offset)
        return self.session.scalars(query).all()

    def count_users(self, text: str) -> int:
        return int(self.session.scalar(select(func.count()).select_from(User).where(*_user_match(text))) or 0)

    def users_per_organisation(self) -> dict[int, int]:
        query = select(User.organisation_id, func.count()).group_by(User.organisation_id)
        return {org_id: int(n) for org_id, n in self.session.execute(query)}

    def users_per_role(self) -> dict[str, int]:
        query = (select(Role.key, func.count(UserRole.user_id)).join(UserRole, UserRole.role_id == Role.id)
                 .group_by(Role.key))
        return {key: int(n) for key, n in self.session.execute(query)}

    def role_by_lane(self, lane_name: str) -> Role | None:
        return self.session.scalars(select(Role).where(Role.lane_name == lane_name)).first()

    def audit_entries(self, *, username: str, action: str, before_id: int | None,
                      limit: int) -> Sequence[AuditEntry]:
        """Newest first; ``action`` matches as a prefix (``auth.`` finds every sign-in event)."""
        query = select(AuditEntry)
        if username:
            query = query.where(AuditEntry.username == username)
        if action:
            query = query.where(AuditEntry.action.startswith(action, autoescape=True))
        if before_id is not None:
            query = query.where(AuditEntry.id < before_id)
        return self.session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)).all()


def _user_match(text: str) -> list[ColumnElement[bool]]:
    if not text:
        return []
    needle = text.lower()
    return [or_(func.lower(User.username).contains(needle, autoescape=True),
                func.lower(User.display_name).contains(needle, autoescape=True))]
