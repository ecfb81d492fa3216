"""Accounts: signing in with lock-out, and one's own password and language (administration: ``user_admin``).

Every attempt and every change is written to the audit log (等保 2.0: time, user, event, result).
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from dataclasses import dataclass

from adapters.services.platform import Platform, directory
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import InvalidData, NotFound, ServiceError
from storage.models import User
from storage.uow import UnitOfWork

LANGUAGES = ("zh", "en")
SIGN_IN_REFUSED = "用户名或密码错误，或账户已被暂时锁定"
class SignInRefused(ServiceError):
    """Wrong name or password, a disabled or locked account: one message, so names cannot be probed."""


@dataclass(frozen=True)
class LockPolicy:
    max_failures: int
    lock_minutes: int


@dataclass(frozen=True)
class AccountView:
    username: str
    display_name: str
    organisation: str
    roles: list[str]
    language: str
    email: str | None


@functools.cache
def _decoy_hash() -> str:
    """A hash to check unknown names against, so they take as long as real ones."""
    return directory.hash_password(secrets.token_hex(16))


# -- signing in ------------------------------------------------------------------------------------------
def sign_in(platform: Platform, username: str, password: str, policy: LockPolicy, *, source: str = "") -> int:
    """The user id for a right name and password; else SignInRefused, counting failures towards a lock."""
    username = username.strip()[:60]
    now = platform.now()
    with platform.uow() as uow:
        user = uow.directory.user_by_name(username) if username else None
        result = _attempt(user, password, now, policy)
        uow.audit.record("auth.login", user_id=user.id if user else None, username=username or "-",
                         result=result, entity="user", entity_id=user.id if user else None,
                         detail={"source": source[:60]})
        uow.commit()
    if result != "ok" or user is None:
        raise SignInRefused(SIGN_IN_REFUSED)
    return user.id


def _attempt(user: User | None, password: str, now: dt.datetime, policy: LockPolicy) -> str:
    """Check one attempt and update the failure counter; returns the audit result."""
    if user is None:
        directory.verify_password(password, _decoy_hash())
        return "unknown_user"
    if user.locked_until is not None and user.locked_until > now:
        return "locked"
    if not directory.verify_password(password, user.password_hash):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= policy.max_failures:
            user.failed_logins = 0
            user.locked_until = now + dt.timedelta(minutes=policy.lock_minutes)
            return "failed_locked"
        return "failed"
    if not user.active:
        return "inactive"
    user.failed_logins, user.locked_until = 0, None
    return "ok"


def record_sign_out(platform: Platform, actor: Actor) -> None:
    with platform.uow() as uow:
        uow.audit.record("auth.logout", user_id=actor.user_id, username=actor.username)
        uow.commit()


# -- one's own account -----------------------------------------------------------------------------------
def account_of(platform: Platform, actor: Actor) -> AccountView:
    with platform.reader() as uow:
        user = user_by_id(uow, actor.user_id)
        return AccountView(username=user.username, display_name=user.display_name,
                           organisation=user.organisation.name, roles=[r.name for r in user.roles],
                           language=user.language, email=user.email)


def change_password(platform: Platform, actor: Actor, current: str, new: str, confirm: str) -> None:
    """Change one's own password after checking the current one and the complexity rules."""
    with platform.uow() as uow:
        user = user_by_id(uow, actor.user_id)
        errors: dict[str, str] = {}
        if not directory.verify_password(current, user.password_hash):
            errors["current"] = "当前密码不正确"
        if problems := directory.password_problems(new):
            errors["new"] = "；".join(problems)
        elif new == current:
            errors["new"] = "新密码不能与当前密码相同"
        if new != confirm:
            errors["confirm"] = "两次输入的新密码不一致"
        if errors:
            uow.audit.record("account.password", user_id=user.id, username=user.username, result="refused",
                             entity="user", entity_id=user.id, detail={"fields": sorted(errors)})
            uow.commit()
            raise InvalidData(errors, "密码未修改")
        user.password_hash = directory.hash_password(new)
        uow.audit.record("account.password", user_id=user.id, username=user.username, entity="user",
                         entity_id=user.id)
        uow.commit()


def set_language(platform: Platform, actor: Actor, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidData({"language": f"不支持的语言：{language}"})
    with platform.uow() as uow:
        user = user_by_id(uow, actor.user_id)
        user.language = language
        uow.audit.record("account.language", user_id=user.id, username=user.username, entity="user",
                         entity_id=user.id, detail={"language": language})
        uow.commit()


def user_by_id(uow: UnitOfWork, user_id: int) -> User:
    user = uow.directory.user(user_id)
    if user is None:
        raise NotFound(f"用户 {user_id} 不存在")
    return user
