"""Organisations, users and roles."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, joinedload

from storage.models import Organisation, Role, User


class DirectoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def user(self, user_id: int) -> User | None:
        """The user with organisation and roles, in one statement (every signed-in request loads it)."""
        return self._with_org_and_roles(User.id == user_id)

    def user_by_name(self, username: str) -> User | None:
        return self.session.scalars(select(User).where(User.username == username)).first()

    def user_by_token_hash(self, token_hash: str) -> User | None:
        """The token's user with organisation and roles, in one statement (every API request loads it)."""
        return self._with_org_and_roles(User.api_token_hash == token_hash)

    def _with_org_and_roles(self, condition: ColumnElement[bool]) -> User | None:
        query = select(User).where(condition).options(joinedload(User.organisation), joinedload(User.roles))
        return self.session.scalars(query).unique().first()

    def users(self) -> Sequence[User]:
        return self.session.scalars(select(User).order_by(User.username)).all()

    def users_with_role_in(self, role_key: str, organisation_id: int | None) -> Sequence[User]:
        query = select(User).join(User.roles).where(Role.key == role_key, User.active.is_(True))
        if organisation_id is not None:
            query = query.where(User.organisation_id == organisation_id)
        return self.session.scalars(query).all()

    def add_user(self, user: User) -> User:
        self.session.add(user)
        self.session.flush()
        return user

    def organisation(self, organisation_id: int) -> Organisation | None:
        return self.session.get(Organisation, organisation_id)

    def organisation_by_code(self, code: str) -> Organisation | None:
        return self.session.scalars(select(Organisation).where(Organisation.code == code)).first()

    def organisations(self, kind: str | None = None) -> Sequence[Organisation]:
        query = select(Organisation).order_by(Organisation.id)
        if kind:
            query = query.where(Organisation.kind == kind)
        return self.session.scalars(query).all()

    def children_of(self, organisation_id: int) -> Sequence[Organisation]:
        return self.session.scalars(select(Organisation).where(Organisation.parent_id == organisation_id)).all()

    def add_organisation(self, organisation: Organisation) -> Organisation:
        self.session.add(organisation)
        self.session.flush()
        return organisation

    def roles(self) -> Sequence[Role]:
        return self.session.scalars(select(Role).order_by(Role.key)).all()

    def role(self, key: str) -> Role | None:
        return self.session.scalars(select(Role).where(Role.key == key)).first()

    def add_role(self, role: Role) -> Role:
        self.session.add(role)
        self.session.flush()
        return role
