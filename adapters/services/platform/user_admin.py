"""User administration for administrators: list, create, edit, reset passwords, unlock, API tokens.

Every change is audited. Sign-in and a user's own account are in ``accounts``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from adapters.services.platform import Platform, directory
from adapters.services.platform.accounts import user_by_id as _user
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Forbidden, InvalidData
from storage.models import User
from storage.repositories.accounts import AccountQueries
from storage.uow import UnitOfWork

USERS_PER_PAGE = 50


@dataclass(frozen=True)
class UserInput:
    """A user as the administrator's form sends it; ``password`` only when creating."""

    username: str
    display_name: str
    organisation_id: int | None
    role_keys: tuple[str, ...] = ()
    email: str = ""
    active: bool = True
    is_admin: bool = False
    password: str = ""


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    organisation_id: int
    organisation: str
    role_keys: list[str]
    email: str | None
    active: bool
    is_admin: bool
    locked: bool
    failed_logins: int
    has_token: bool


@dataclass(frozen=True)
class UserPage:
    rows: list[UserRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class UserForm:
    user: UserRow | None
    roles: list[tuple[str, str]]
    organisations: list[tuple[int, str, str]]


def list_users(platform: Platform, admin: Actor, text: str = "", page: int = 1) -> UserPage:
    _require_admin(admin)
    text = text.strip()[:60]
    with platform.reader() as uow:
        queries = AccountQueries(uow.session)
        total = queries.count_users(text)
        pages = max(1, -(-total // USERS_PER_PAGE))
        page = min(max(1, page), pages)
        users = queries.search_users(text, USERS_PER_PAGE, (page - 1) * USERS_PER_PAGE)
        now = platform.now()
        return UserPage(rows=[_user_row(u, now) for u in users], total=total, page=page, pages=pages)


def user_form(platform: Platform, admin: Actor, user_id: int | None) -> UserForm:
    """The user to edit (None for a new one) with the roles and organisations to choose from."""
    _require_admin(admin)
    with platform.reader() as uow:
        user = _user_row(_user(uow, user_id), platform.now()) if user_id is not None else None
        return UserForm(user=user, roles=[(r.key, r.name) for r in uow.directory.roles()],
                        organisations=[(o.id, o.code, o.name) for o in uow.directory.organisations()
                                       if o.active or (user and o.id == user.organisation_id)])


def create_user(platform: Platform, admin: Actor, data: UserInput) -> int:
    _require_admin(admin)
    with platform.uow() as uow:
        errors = _user_errors(uow, data, new=True)
        if problems := directory.password_problems(data.password):
            errors["password"] = "；".join(problems)
        if uow.directory.user_by_name(data.username.strip()) is not None:
            errors["username"] = f"用户名 {data.username.strip()} 已存在"
        if errors:
            raise InvalidData(errors, "无法创建用户")
        user = User(username=data.username.strip(), password_hash=directory.hash_password(data.password))
        _apply(uow, user, data)
        uow.directory.add_user(user)
        _audit(uow, admin, "user.create", user, _summary(data))
        uow.commit()
        return user.id


def update_user(platform: Platform, admin: Actor, user_id: int, data: UserInput) -> None:
    """Change name, e-mail, organisation, roles, active and admin flags (the username stays)."""
    _require_admin(admin)
    with platform.uow() as uow:
        user = _user(uow, user_id)
        errors = _user_errors(uow, data, new=False)
        if user_id == admin.user_id and not (data.active and data.is_admin):
            errors["active"] = "不能停用自己的账户或取消自己的管理员权限"
        if errors:
            raise InvalidData(errors, "无法保存用户")
        _apply(uow, user, data)
        _audit(uow, admin, "user.update", user, _summary(data))
        uow.commit()


def reset_password(platform: Platform, admin: Actor, user_id: int, new_password: str) -> None:
    _require_admin(admin)
    if problems := directory.password_problems(new_password):
        raise InvalidData({"password": "；".join(problems)}, "密码未重置")
    with platform.uow() as uow:
        user = _user(uow, user_id)
        user.password_hash = directory.hash_password(new_password)
        user.failed_logins, user.locked_until = 0, None
        _audit(uow, admin, "user.reset_password", user)
        uow.commit()


def unlock_user(platform: Platform, admin: Actor, user_id: int) -> None:
    _require_admin(admin)
    with platform.uow() as uow:
        user = _user(uow, user_id)
        user.failed_logins, user.locked_until = 0, None
        _audit(uow, admin, "user.unlock", user)
        uow.commit()


def issue_api_token(platform: Platform, admin_actor: Actor, user_id: int) -> str:
    """A new API token, returned once; only its SHA-256 is kept (an older token stops working)."""
    _require_admin(admin_actor)
    token = "anpei_" + secrets.token_urlsafe(32)
    with platform.uow() as uow:
        user = _user(uow, user_id)
        user.api_token_hash = token_hash(token)
        _audit(uow, admin_actor, "user.api_token", user)
        uow.commit()
    return token


def revoke_api_token(platform: Platform, admin: Actor, user_id: int) -> None:
    _require_admin(admin)
    with platform.uow() as uow:
        user = _user(uow, user_id)
        user.api_token_hash = None
        _audit(uow, admin, "user.api_token_revoke", user)
        uow.commit()


def token_hash(token: str) -> str:
    """What is stored for an API token and looked up with ``directory.user_by_token_hash``."""
    return hashlib.sha256(token.encode()).hexdigest()


# -- helpers ---------------------------------------------------------------------------------------------
def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("只有管理员可以管理用户")




def _user_errors(uow: UnitOfWork, data: UserInput, *, new: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = data.username.strip()
    if new and (not name or len(name) > 60 or any(c.isspace() for c in name)):
        errors["username"] = "用户名必填，最多 60 个字符，不能含空格"
    if not data.display_name.strip() or len(data.display_name.strip()) > 100:
        errors["display_name"] = "姓名必填，最多 100 个字符"
    if data.organisation_id is None or uow.directory.organisation(data.organisation_id) is None:
        errors["organisation_id"] = "请选择所属机构"
    unknown = [key for key in data.role_keys if uow.directory.role(key) is None]
    if unknown:
        errors["role_keys"] = f"角色不存在：{', '.join(unknown)}"
    if data.email and ("@" not in data.email or len(data.email) > 200):
        errors["email"] = "电子邮箱格式不正确"
    return errors


def _apply(uow: UnitOfWork, user: User, data: UserInput) -> None:
    user.display_name = data.display_name.strip()
    user.email = data.email.strip() or None
    assert data.organisation_id is not None
    user.organisation_id = data.organisation_id
    user.active, user.is_admin = data.active, data.is_admin
    user.roles = [role for key in sorted(set(data.role_keys)) if (role := uow.directory.role(key))]


def _summary(data: UserInput) -> dict[str, object]:
    return {"organisation_id": data.organisation_id, "roles": sorted(set(data.role_keys)),
            "active": data.active, "is_admin": data.is_admin}


def _audit(uow: UnitOfWork, admin: Actor, action: str, user: User,
           detail: dict[str, object] | None = None) -> None:
    uow.audit.record(action, user_id=admin.user_id or None, username=admin.username, entity="user",
                     entity_id=user.id, detail={"username": user.username, **(detail or {})})


def _user_row(user: User, now: dt.datetime) -> UserRow:
    return UserRow(id=user.id, username=user.username, display_name=user.display_name,
                   organisation_id=user.organisation_id, organisation=user.organisation.name,
                   role_keys=sorted(r.key for r in user.roles), email=user.email, active=user.active,
                   is_admin=user.is_admin, locked=user.locked_until is not None and user.locked_until > now,
                   failed_logins=user.failed_logins or 0, has_token=user.api_token_hash is not None)
